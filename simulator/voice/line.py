"""The telephone line between the trainee and the prospect: what the prospect actually hears.

- ``landline``: the band a telephone channel passes (ITU-T G.712: 300-3,400 Hz), sampled at
  8 kHz and coded with G.711 mu-law, as the public network carries a call.
- ``mobile``: a narrower band (300-3,000 Hz, as a low-rate mobile codec sounds), and now and then a
  lost 20 ms packet, concealed as the codecs do: the last packet repeated, fading.

The resampling is soxr's (its anti-aliasing filter is the one the rest of the program uses); the
band is shaped in the frequency domain (zero phase, raised-cosine edges); mu-law is G.711's own
segmented code, in numpy (``audioop`` leaves Python in 3.13). The whole take is shaped at once:
takes are short, and a clip in, a clip out is all the callers need.
"""

from __future__ import annotations

import numpy as np
import soxr

from simulator.audio.base import Clip
from simulator.scenarios import PhoneLine

LINE_RATE = 8000  # the telephone network's sample rate
LANDLINE_BAND = (300.0, 3400.0)  # ITU-T G.712's passband
MOBILE_BAND = (300.0, 3000.0)
EDGE_HZ = (100.0, 300.0)  # the width of the raised-cosine edge below and above the band
PACKET_S = 0.02  # a mobile codec's frame
PACKET_LOSS = 0.015  # of the mobile line's packets, lost and concealed
_BIAS, _CLIP = 0x84, 32635  # G.711 mu-law's bias and the largest magnitude it codes


def band_gain(freqs: np.ndarray, low_hz: float, high_hz: float) -> np.ndarray:
    """1 inside [low, high], 0 beyond the edges (``EDGE_HZ`` wide), a raised cosine between."""
    below, above = EDGE_HZ
    gain = np.ones_like(freqs)
    rising = (freqs < low_hz) & (freqs > low_hz - below)
    gain[rising] = 0.5 - 0.5 * np.cos(np.pi * (freqs[rising] - (low_hz - below)) / below)
    falling = (freqs > high_hz) & (freqs < high_hz + above)
    gain[falling] = 0.5 + 0.5 * np.cos(np.pi * (freqs[falling] - high_hz) / above)
    gain[(freqs <= low_hz - below) | (freqs >= high_hz + above)] = 0.0
    return gain


def band_limited(samples: np.ndarray, rate: int, low_hz: float, high_hz: float) -> np.ndarray:
    """``samples`` with only the band [low, high] Hz left (zero phase)."""
    if len(samples) == 0:
        return samples.astype(np.float32)
    spectrum = np.fft.rfft(samples.astype(np.float64))
    gain = band_gain(np.fft.rfftfreq(len(samples), 1 / rate), low_hz, high_hz)
    return np.fft.irfft(spectrum * gain, len(samples)).astype(np.float32)


def mulaw_encode(samples: np.ndarray) -> np.ndarray:
    """G.711 mu-law codes (uint8) of float samples in [-1, 1]."""
    pcm = np.clip(np.round(samples.astype(np.float64) * 32768.0), -32768, 32767).astype(np.int32)
    negative = pcm < 0
    magnitude = np.minimum(np.abs(pcm), _CLIP) + _BIAS
    exponent = np.clip(np.floor(np.log2(magnitude)).astype(np.int32) - 7, 0, 7)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    code = (negative.astype(np.int32) << 7) | (exponent << 4) | mantissa
    return (~code & 0xFF).astype(np.uint8)


def mulaw_decode(codes: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] from G.711 mu-law codes."""
    code = ~codes.astype(np.int32) & 0xFF
    exponent = (code >> 4) & 0x07
    magnitude = (((code & 0x0F) << 3) + _BIAS << exponent) - _BIAS
    pcm = np.where(code & 0x80, -magnitude, magnitude)
    return (pcm / 32768.0).astype(np.float32)


def concealed_losses(samples: np.ndarray, rate: int, loss: float, seed: int) -> np.ndarray:
    """Lose about ``loss`` of the packets, each replaced by the packet before it at half the level."""
    size = int(PACKET_S * rate)
    out = samples.copy()
    lost = np.random.default_rng(seed).random(len(samples) // size) < loss
    for index in np.flatnonzero(lost):
        if index == 0:
            continue
        start = index * size
        out[start : start + size] = 0.5 * out[start - size : start]
    return out


def over_the_line(clip: Clip, line: PhoneLine) -> Clip:
    """The clip as it arrives over ``line``, at the line's 8 kHz (unchanged for no line)."""
    if line is PhoneLine.NONE:
        return clip
    samples = clip.samples if clip.samples.ndim == 1 else clip.samples.mean(axis=1)
    narrow = soxr.resample(samples.astype(np.float32), clip.samplerate, LINE_RATE, quality="HQ")
    if line is PhoneLine.LANDLINE:
        coded = mulaw_decode(mulaw_encode(band_limited(narrow, LINE_RATE, *LANDLINE_BAND)))
    else:
        shaped = band_limited(narrow, LINE_RATE, *MOBILE_BAND)
        coded = concealed_losses(shaped, LINE_RATE, PACKET_LOSS, seed=len(shaped))
    return Clip(np.asarray(coded, dtype=np.float32), LINE_RATE)


def as_heard(clip: Clip, line: PhoneLine) -> Clip:
    """The clip as the far end hears it, back at the clip's own rate (so a player can swap the two
    at the same position, and any output device plays it)."""
    if line is PhoneLine.NONE:
        return clip
    back = over_the_line(clip, line).resampled(clip.samplerate).samples
    length = len(clip.samples)  # the same length: a player swaps the two at the same place
    return Clip(np.pad(back[:length], (0, max(0, length - len(back)))), clip.samplerate)
