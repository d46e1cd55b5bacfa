"""The audio interface the rest of the program uses; nothing else talks to a sound library."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import soundfile as sf
import soxr


class AudioError(Exception):
    """A problem with sound devices or files, with a message that says what to do."""


class NoInputDeviceError(AudioError):
    """There is no microphone to record from."""


class NoOutputDeviceError(AudioError):
    """There is nothing to play sound on."""


class TakeFileError(AudioError):
    """The take's file cannot be created or written (folder not writable, disk full)."""

    os_error: OSError | None = None  # set when the message already says what the OSError means

    @classmethod
    def from_os_error(cls, error: OSError, path: Path | None = None) -> TakeFileError:
        """Said as every edge says it: "The disk is full (...): free some space, or ..."."""
        from simulator.fileio import describe_os_error

        explained = cls(describe_os_error(error, path))
        explained.os_error = error
        return explained


DEAD_CHANNEL_DB = 40.0  # a channel this much quieter than the loudest carries no voice


class LiveChannels:
    """Mono from a stream of blocks: the mean of the channels that carry sound so far. A stereo
    microphone with one dead capsule, or a headset wired to one side, would otherwise come out 6 dB
    quieter (averaged with the dead side) or silent (its first channel taken)."""

    def __init__(self) -> None:
        self._energy: np.ndarray | None = None

    def mono(self, block: np.ndarray) -> np.ndarray:
        """``block`` (mono, or ``(frames, channels)``) as mono float32."""
        if block.ndim == 1:
            return block.astype(np.float32, copy=False)
        if block.shape[1] == 1:
            return block[:, 0].astype(np.float32)
        energy = np.sum(block.astype(np.float64) ** 2, axis=0)
        self._energy = energy if self._energy is None else self._energy + energy
        live = self._energy >= self._energy.max() * 10 ** (-DEAD_CHANNEL_DB / 10)
        return block[:, live].mean(axis=1).astype(np.float32)


@dataclass(frozen=True)
class Clip:
    """Mono float32 samples in [-1, 1] at a sample rate."""

    samples: np.ndarray
    samplerate: int

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.samplerate

    @classmethod
    def load(cls, path: Path) -> Clip:
        try:
            data, rate = sf.read(str(path), dtype="float32", always_2d=True)
        except (sf.LibsndfileError, RuntimeError, OSError) as error:
            raise AudioError(f"cannot read audio from {path}: {error}") from None
        return cls(LiveChannels().mono(data), int(rate))

    def resampled(self, samplerate: int) -> Clip:
        if samplerate == self.samplerate:
            return self
        samples = soxr.resample(self.samples, self.samplerate, samplerate).astype(np.float32)
        return Clip(samples, samplerate)

    def save(self, path: Path) -> None:
        """Write a 16-bit WAV; a missing or unwritable folder, or a full disk, raises OSError (with
        its errno, so the caller can say what to do), not libsndfile's bare "System error"."""
        with Path(path).open("wb") as handle:
            sf.write(handle, self.samples, self.samplerate, subtype="PCM_16", format="WAV")


@dataclass(frozen=True)
class DeviceInfo:
    index: int
    name: str
    input_channels: int
    output_channels: int
    default_samplerate: float
    is_default_input: bool = False
    is_default_output: bool = False
    host_api: str = ""


class Playback(Protocol):
    """A clip being played."""

    def is_finished(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool:
        """Block until finished (True) or the timeout passes (False)."""
        ...

    def stop(self) -> None: ...

    @property
    def position_s(self) -> float: ...

    @property
    def error(self) -> str | None: ...

    @property
    def first_sample_at(self) -> float | None:
        """``time.monotonic()`` when the first sample went to the device, once it has."""
        ...


# Called from the audio thread with a block of float32 frames (mono, or ``(frames, channels)``: the
# recorder mixes the live channels in its own thread) and whether input overflowed.
FrameSink = Callable[[np.ndarray, bool], None]


class InputStream(Protocol):
    samplerate: int

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


class AudioBackend(Protocol):
    """Play clips and capture frames. Two implementations: sounddevice and a file-backed device."""

    name: str

    def devices(self) -> list[DeviceInfo]: ...

    def play(self, clip: Clip) -> Playback: ...

    def open_input(self, sink: FrameSink, blocksize_s: float) -> InputStream:
        """An unstarted mono input stream at the device's native rate, delivering to ``sink``."""
        ...


def dbfs(value: float) -> float:
    """Decibels relative to full scale, floored at -120 dB for silence."""
    return float(20.0 * np.log10(max(value, 1e-6)))
