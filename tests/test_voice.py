"""Greetings: synthesis in a worker process, the cache, the beep and the call's timing."""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from simulator.audio.base import Clip
from simulator.scenarios import Prospect, Voice
from simulator.voice import synth
from simulator.voice.cache import GreetingCache
from simulator.voice.call import CALL_RATE, beep, compose_call, ring_style
from simulator.voice.synth import Pyttsx3Synthesizer, SpeechJob, SynthesisError

from .audio_checks import voiced_seconds

ANNE = Prospect("Anne", "Office manager", "Harrow & Lyle", "This is Anne, please leave a message.")


class CountingSynthesizer:
    def __init__(self) -> None:
        self.inner = Pyttsx3Synthesizer()
        self.calls: list[list[SpeechJob]] = []
        self.engine_id = self.inner.engine_id

    def render(self, jobs: list[SpeechJob]) -> None:
        self.calls.append(jobs)
        self.inner.render(jobs)

    def voices(self):  # type: ignore[no-untyped-def]
        return self.inner.voices()


def test_greeting_is_real_speech_of_a_plausible_length(tmp_path: Path) -> None:
    clip = Clip.load(GreetingCache(tmp_path, Pyttsx3Synthesizer()).path_for(ANNE))
    assert clip.samplerate == 22050
    # seven words at 165 words a minute: about 2.5 s, most of it voiced
    assert 1.5 < clip.duration_s < 4.0
    assert voiced_seconds(clip) > 1.0


def test_voice_hints_change_the_sound(tmp_path: Path) -> None:
    cache = GreetingCache(tmp_path, Pyttsx3Synthesizer())
    female = Clip.load(cache.path_for(ANNE))
    male = Clip.load(cache.path_for(replace(ANNE, voice=Voice(gender="male"))))
    fast = Clip.load(cache.path_for(replace(ANNE, voice=Voice(rate=300))))
    assert not np.array_equal(female.samples[:5000], male.samples[:5000])
    assert fast.duration_s < female.duration_s * 0.75


def test_cache_renders_each_greeting_once_in_one_batch(tmp_path: Path) -> None:
    counting = CountingSynthesizer()
    cache = GreetingCache(tmp_path, counting)
    others = [replace(ANNE, greeting=f"This is Anne number {n}.") for n in range(3)]
    progress: list[tuple[int, int]] = []
    assert cache.warm([ANNE, *others], lambda done, total: progress.append((done, total))) == 4
    assert len(counting.calls) == 1 and len(counting.calls[0]) == 4
    assert progress == [(0, 4), (4, 4)]
    assert cache.warm([ANNE, *others]) == 0
    cache.path_for(ANNE)
    assert len(counting.calls) == 1
    assert not list(tmp_path.glob("*.part.wav"))


def test_cache_key_covers_everything_that_changes_the_sound(tmp_path: Path) -> None:
    cache = GreetingCache(tmp_path, Pyttsx3Synthesizer())
    variants = [
        ANNE,
        replace(ANNE, greeting="This is Anne. Leave a message."),
        replace(ANNE, voice=Voice(rate=170)),
        replace(ANNE, voice=Voice(language="en-us")),
        replace(ANNE, voice=Voice(gender="male")),
        replace(ANNE, voice=Voice(variant="f2")),
    ]
    assert len({cache.key(p) for p in variants}) == len(variants)
    assert cache.key(replace(ANNE, name="Someone else")) == cache.key(ANNE)  # the name is not spoken


def test_a_hung_engine_is_stopped_at_the_time_limit(tmp_path: Path) -> None:
    hung = Pyttsx3Synthesizer(
        timeout_s=1.0, worker_command=[sys.executable, "-c", "import time; time.sleep(60)"]
    )
    start = time.monotonic()
    with pytest.raises(SynthesisError, match="did not finish"):
        hung.render([SpeechJob("hello", Voice(), tmp_path / "x.wav")])
    assert time.monotonic() - start < 10


def test_missing_espeak_names_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synth, "espeak_version", lambda: None)
    with pytest.raises(SynthesisError, match="apt-get install espeak-ng"):
        Pyttsx3Synthesizer().render([SpeechJob("hello", Voice(), tmp_path / "x.wav")])


def test_voices_are_listed() -> None:
    voices = Pyttsx3Synthesizer().voices()
    ids = {v.id for v in voices}
    assert {"gmw/en", "gmw/en-us"} <= ids


def test_beep_is_a_clean_one_kilohertz_tone() -> None:
    tone = beep()
    assert len(tone) == CALL_RATE // 2
    spectrum = np.abs(np.fft.rfft(tone))
    peak_hz = np.argmax(spectrum) * CALL_RATE / len(tone)
    assert abs(peak_hz - 1000) < 5
    assert abs(tone[0]) < 1e-3 and abs(tone[-1]) < 1e-3  # faded in and out: no click
    assert np.max(np.abs(np.diff(tone))) < 0.2


def test_call_is_ringback_greeting_pause_beep() -> None:
    greeting = Clip(np.full(22050, 0.3, dtype=np.float32), 22050)
    call = compose_call(greeting, "This is Anne", rings=2, language="en-gb")
    assert call.greeting_start_s == pytest.approx(2 * 3.0 + 0.3, abs=0.01)
    assert call.greeting_end_s == pytest.approx(call.greeting_start_s + 1.0, abs=0.01)
    assert call.beep_start_s == pytest.approx(call.greeting_end_s + 0.4, abs=0.01)
    assert call.end_s == pytest.approx(call.beep_start_s + 0.5, abs=0.01)
    start = int(call.greeting_start_s * 22050)
    assert np.allclose(call.clip.samples[start : start + 22050], 0.3)
    no_rings = compose_call(greeting, "x", rings=0)
    assert no_rings.greeting_start_s == 0.0
    assert ring_style("en-us") == "us" and ring_style("en-gb-scotland") == "uk"


def test_the_same_greeting_asked_for_at_once_is_rendered_once(tmp_path: Path) -> None:
    import threading

    counting = CountingSynthesizer()
    cache = GreetingCache(tmp_path, counting)
    errors: list[BaseException] = []

    def dial() -> None:
        try:
            cache.path_for(ANNE)
        except BaseException as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=dial) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(counting.calls) == 1
    assert Clip.load(cache.cached_path(ANNE)).duration_s > 1.0
