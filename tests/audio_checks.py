"""Measurements the audio tests compare with: speech duration and waveform similarity."""

from __future__ import annotations

import numpy as np

from simulator.audio.base import Clip


def voiced_seconds(clip: Clip, frame_s: float = 0.02, below_peak_db: float = 35.0) -> float:
    """Seconds of frames whose RMS is within ``below_peak_db`` of the loudest frame."""
    size = int(clip.samplerate * frame_s)
    count = len(clip.samples) // size
    if count == 0:
        return 0.0
    frames = clip.samples[: count * size].reshape(count, size).astype(np.float64)
    rms = np.sqrt(np.mean(frames**2, axis=1)) + 1e-12
    level = 20 * np.log10(rms)
    return float(np.sum(level > level.max() - below_peak_db) * frame_s)


def best_correlation(recorded: np.ndarray, reference: np.ndarray) -> tuple[float, int]:
    """Peak normalised cross-correlation of ``reference`` within ``recorded``, and its lag in samples."""
    n = len(recorded) + len(reference)
    size = 1 << (n - 1).bit_length()
    spectrum = np.fft.rfft(recorded, size) * np.conj(np.fft.rfft(reference, size))
    correlation = np.fft.irfft(spectrum, size)[: len(recorded)]
    lag = int(np.argmax(correlation))
    window = recorded[lag : lag + len(reference)]
    energy = np.sqrt(np.sum(reference[: len(window)] ** 2) * np.sum(window**2)) + 1e-12
    return float(correlation[lag] / energy), lag
