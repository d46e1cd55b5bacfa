"""The sound of the call: ringback, the prospect's greeting, a pause, then the voicemail beep."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.audio.base import Clip
from simulator.scenarios import PhoneLine
from simulator.voice.line import as_heard

CALL_RATE = 22050  # the synthesiser's rate; the output device resamples as it needs


def tone(
    frequencies: tuple[float, ...], seconds: float, rate: int, level: float, fade_s: float = 0.01
) -> np.ndarray:
    """A sum of sines with raised-cosine fades at both ends, so it starts and stops without a click."""
    t = np.arange(int(seconds * rate)) / rate
    wave = sum(np.sin(2 * np.pi * f * t) for f in frequencies) / len(frequencies)
    fade = min(int(fade_s * rate), len(t) // 2)
    if fade:
        ramp = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, fade))
        wave[:fade] *= ramp
        wave[-fade:] *= ramp[::-1]
    return (level * wave).astype(np.float32)


def silence(seconds: float, rate: int) -> np.ndarray:
    return np.zeros(int(seconds * rate), dtype=np.float32)


def beep(rate: int = CALL_RATE, seconds: float = 0.5, frequency: float = 1000.0) -> np.ndarray:
    return tone((frequency,), seconds, rate, level=0.4)


def ringback(rings: int, style: str, rate: int = CALL_RATE) -> np.ndarray:
    """UK-style double ring (400+450 Hz) or North American (440+480 Hz), ``rings`` cycles."""
    parts: list[np.ndarray] = []
    for _ in range(rings):
        if style == "us":
            parts += [tone((440, 480), 2.0, rate, 0.2, 0.02), silence(2.0, rate)]
        else:
            burst = tone((400, 450), 0.4, rate, 0.2, 0.02)
            parts += [burst, silence(0.2, rate), burst, silence(2.0, rate)]
    return np.concatenate(parts) if parts else silence(0, rate)


def ring_style(language: str) -> str:
    return "us" if language.lower().startswith(("en-us", "en-ca")) else "uk"


@dataclass(frozen=True)
class CallAudio:
    """The whole call as one clip, with the times a screen needs for its caption and timer."""

    clip: Clip
    greeting_start_s: float
    greeting_end_s: float
    beep_start_s: float
    caption: str

    @property
    def end_s(self) -> float:
        return self.clip.duration_s


def compose_call(
    greeting: Clip, caption: str, rings: int = 2, language: str = "en-gb", line: PhoneLine = PhoneLine.NONE
) -> CallAudio:
    """Ringback, pickup pause, greeting, a short pause and the beep, at the greeting's rate. The
    ringback and the beep come over ``line``; the greeting is given already through it (cached so)."""
    rate = greeting.samplerate

    def over_line(samples: np.ndarray) -> np.ndarray:
        return as_heard(Clip(samples, rate), line).samples if len(samples) else samples

    rings_audio = over_line(ringback(rings, ring_style(language), rate))
    pickup = silence(0.3 if rings else 0.0, rate)
    gap = silence(0.4, rate)
    before_greeting = len(rings_audio) + len(pickup)
    greeting_end = before_greeting + len(greeting.samples)
    samples = np.concatenate([rings_audio, pickup, greeting.samples, gap, over_line(beep(rate))])
    return CallAudio(
        clip=Clip(samples, rate),
        greeting_start_s=before_greeting / rate,
        greeting_end_s=greeting_end / rate,
        beep_start_s=(greeting_end + len(gap)) / rate,
        caption=caption,
    )
