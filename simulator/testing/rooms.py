"""Rooms and microphones for the labelled set: a clean take as a classroom would record it.

A dozen trainees practise at once in one room on whatever headsets and laptops the training company
owns (issue #16). Each condition below turns a clean synthesised take into what such a room
records; the labels stay those of the clean take. Everything is made here at test time from the
synthesisers on the machine: nothing is downloaded.

- ``babble-15/20/25``: two or three neighbours leaving their own messages (the same scenarios: a
  class drills one call) at 15, 20 or 25 dB below the trainee, already talking before the trainee
  starts, heard from a metre or two away (with the room's reverberation);
- ``fan``: a fan or air-conditioning noise floor around -40 dBFS (brown-ish noise);
- ``headset``: a cheap headset: band-limited to 200-5,000 Hz, a DC offset, 50 Hz mains hum;
- ``laptop``: a laptop's built-in microphone: the voice at about -35 dBFS, with the reverberation
  of a room (a synthetic impulse response) and the laptop's own noise;
- ``rate-16000/44100/48000``: the device's own sample rate;
- ``stereo-dead``: a stereo microphone with one dead channel (the left), read from a WAV file as the
  program reads a take.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from simulator.audio.base import Clip
from simulator.testing.speech import speak

BABBLE_LEVELS_DB = (15, 20, 25)
CONDITIONS = (
    *(f"babble-{db}" for db in BABBLE_LEVELS_DB),
    "fan", "headset", "laptop", "rate-16000", "rate-44100", "rate-48000", "stereo-dead",
)  # fmt: skip


@dataclass(frozen=True)
class Neighbour:
    """Another trainee in the room, leaving their own message."""

    text: str
    voice: str
    engine: str = "espeak-ng"
    speed: int = 165


# The class drills the same calls: neighbours say the names and numbers this trainee's hints look for,
# so a neighbour's words heard as the trainee's would give the trainee a ✓ they did not earn.
NEIGHBOURS = (
    Neighbour("Hi Anne, it's Sam Patel from Clearline Office Solutions. I can cut your printing costs. "
              "Call me on 0116 496 0732. I'll try you again Thursday morning.", "en-gb"),
    Neighbour("Hello Daniel, Jo Marsh from Fleetwise about the proposal. We can run a free pilot on ten "
              "vans. Ring me on 0161 496 0418, and I'll call you again on Friday.", "awb", "flite"),
    Neighbour("Peggy, this is Steve Weinberg of Acme Chemicals, calling to discuss your inventory. "
              "Please call me at 312 555 0147 on Monday.", "en-us+m3", speed=150),
)  # fmt: skip


def active_rms(samples: np.ndarray, rate: int) -> float:
    """The RMS of a take's speech: its 20 ms frames within 30 dB of the loudest (the active speech
    level, roughly as ITU-T P.56 measures it)."""
    size = int(rate * 0.02)
    count = len(samples) // size
    if count == 0:
        return 0.0
    power = np.mean(samples[: count * size].astype(np.float64).reshape(count, size) ** 2, axis=1)
    loud = power[power > power.max() * 1e-3]
    return float(np.sqrt(np.mean(loud))) if len(loud) else 0.0


def _scaled_to(samples: np.ndarray, rms: float) -> np.ndarray:
    current = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))
    return samples * (rms / current) if current > 0 else samples


def convolve(samples: np.ndarray, impulse: np.ndarray) -> np.ndarray:
    """``samples`` convolved with ``impulse`` (FFT), cut to the length of ``samples``."""
    size = len(samples) + len(impulse) - 1
    n = 1 << (size - 1).bit_length()
    out = np.fft.irfft(np.fft.rfft(samples, n) * np.fft.rfft(impulse, n), n)[: len(samples)]
    return out.astype(np.float32)


def room_impulse(
    rate: int, rt60_s: float, direct_to_reverb_db: float, rng: np.random.Generator
) -> np.ndarray:
    """A synthetic room impulse response: the direct sound, then exponentially decaying noise
    (60 dB down after ``rt60_s``), its energy ``direct_to_reverb_db`` below the direct sound's."""
    length = int(rate * rt60_s)
    t = np.arange(length) / rate
    tail = rng.normal(0, 1, length) * 10 ** (-3 * t / rt60_s)
    tail[: int(rate * 0.005)] = 0  # the first reflection arrives a few ms after the direct sound
    tail *= 10 ** (-direct_to_reverb_db / 20) / np.sqrt(np.sum(tail**2))
    tail[0] = 1.0
    return tail


def band_limited(samples: np.ndarray, rate: int, low_hz: float, high_hz: float) -> np.ndarray:
    """``samples`` with everything outside ``low_hz``-``high_hz`` removed (FFT mask, 50 Hz skirts)."""
    spectrum = np.fft.rfft(samples)
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    gain = np.clip((freqs - (low_hz - 50)) / 50, 0, 1) * np.clip(((high_hz + 50) - freqs) / 50, 0, 1)
    return np.fft.irfft(spectrum * gain, len(samples)).astype(np.float32)


def coloured_noise(length: int, rate: int, rms: float, rng: np.random.Generator) -> np.ndarray:
    """A fan's noise: -6 dB an octave above 100 Hz (brown-ish), at ``rms``."""
    spectrum = np.fft.rfft(rng.normal(0, 1, length))
    freqs = np.fft.rfftfreq(length, 1 / rate)
    spectrum *= 1 / np.maximum(freqs, 100.0)
    return _scaled_to(np.fft.irfft(spectrum, length), rms).astype(np.float32)


def babble(length: int, rate: int, folder: Path, rng: np.random.Generator, voices: int) -> np.ndarray:
    """``voices`` neighbours leaving their messages over and over for ``length`` samples, each
    already part-way through when the take starts, heard across the room; unscaled."""
    mixed = np.zeros(length, dtype=np.float64)
    for index, neighbour in enumerate(NEIGHBOURS[:voices]):
        path = speak(neighbour.text, folder / f"neighbour-{index}.wav", neighbour.voice, neighbour.speed,
                     neighbour.engine)  # fmt: skip
        speech = Clip.load(path).resampled(rate).samples
        said: list[np.ndarray] = []
        while sum(map(len, said)) < 2 * length:  # their message, again after a breath of 1-4 s
            said += [speech, np.zeros(int(rate * rng.uniform(1.0, 4.0)), dtype=np.float32)]
        talk = np.concatenate(said)
        start = int(rng.integers(0, len(speech) // 2))  # already talking when the trainee starts
        mixed += _scaled_to(talk[start : start + length], 0.1)
    impulse = room_impulse(rate, 0.5, 3.0, rng)
    return convolve(mixed.astype(np.float32), impulse)


def stereo_with_dead_channel(clip: Clip, path: Path) -> Path:
    """A stereo WAV of ``clip`` whose left channel is dead (digital silence)."""
    sf.write(str(path), np.stack([np.zeros_like(clip.samples), clip.samples], axis=1), clip.samplerate,
             subtype="PCM_16")  # fmt: skip
    return path


def recorded_in(condition: str, clip: Clip, folder: Path, seed: int) -> Clip:
    """``clip`` (a clean take, with its lead silence) as recorded in ``condition``."""
    rng = np.random.default_rng(seed)
    rate, samples = clip.samplerate, clip.samples.astype(np.float32)
    speech_rms = active_rms(samples, rate)
    if condition.startswith("babble-"):
        below_db = float(condition.removeprefix("babble-"))
        room = babble(len(samples), rate, folder, rng, voices=2 + seed % 2)
        neighbours = _scaled_to(room, speech_rms * 10 ** (-below_db / 20))
        return Clip((samples + neighbours).astype(np.float32), rate)
    if condition == "fan":
        return Clip(samples + coloured_noise(len(samples), rate, 10 ** (-40 / 20), rng), rate)
    if condition == "headset":
        t = np.arange(len(samples)) / rate
        hum = 0.006 * np.sin(2 * np.pi * 50 * t) + 0.002 * np.sin(2 * np.pi * 150 * t)
        return Clip((band_limited(samples, rate, 200, 5000) + 0.03 + hum).astype(np.float32), rate)
    if condition == "laptop":
        reverberant = convolve(samples, room_impulse(rate, 0.6, 0.0, rng))
        quiet = reverberant * (10 ** (-35 / 20) / max(active_rms(reverberant, rate), 1e-9))
        hiss = coloured_noise(len(samples), rate, 10 ** (-58 / 20), rng)
        return Clip((quiet + hiss).astype(np.float32), rate)
    if condition.startswith("rate-"):
        return clip.resampled(int(condition.removeprefix("rate-")))
    if condition.startswith("line-"):  # not a room: the take as the prospect hears it (issue #18)
        from simulator.scenarios import PhoneLine
        from simulator.voice.line import over_the_line

        return over_the_line(clip, PhoneLine(condition.removeprefix("line-")))
    if condition == "stereo-dead":
        return Clip.load(stereo_with_dead_channel(clip, folder / f"stereo-{seed}.wav"))
    raise ValueError(f"unknown room condition {condition!r}")
