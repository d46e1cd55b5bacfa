"""The real path: PortAudio through a PulseAudio server with a virtual speaker and microphone.

These run wherever the sound server starts, and must run in CI (CI=true).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from simulator.audio.base import Clip
from simulator.audio.recorder import Recorder
from simulator.audio.sounddevice_backend import SoundDeviceBackend
from simulator.testing.soundserver import busy_interpreter
from simulator.voice.cache import GreetingCache
from simulator.voice.call import compose_call
from simulator.voice.synth import Pyttsx3Synthesizer

from .audio_checks import best_correlation, voiced_seconds
from .test_voice import ANNE

pytestmark = pytest.mark.realaudio


def test_devices_are_listed_with_defaults(sound_server) -> None:  # type: ignore[no-untyped-def]
    devices = SoundDeviceBackend().devices()
    assert any(d.is_default_input and d.input_channels for d in devices)
    assert any(d.is_default_output and d.output_channels for d in devices)
    backend = SoundDeviceBackend(input_device="pulse", output_device="pulse")
    assert backend.resolve("pulse", "input") == next(d.index for d in devices if d.name == "pulse")


def test_greeting_plays_to_the_speaker(tmp_path: Path, sound_server) -> None:  # type: ignore[no-untyped-def]
    greeting = Clip.load(GreetingCache(tmp_path, Pyttsx3Synthesizer()).path_for(ANNE))
    call = compose_call(greeting, ANNE.greeting, rings=0)
    capture = sound_server.capture_speaker(rate=16000)
    time.sleep(0.3)
    playback = SoundDeviceBackend().play(call.clip)
    assert playback.wait(call.end_s + 5.0)
    time.sleep(0.3)
    heard = capture.finish()
    correlation, _ = best_correlation(heard, call.clip.resampled(16000).samples)
    assert correlation > 0.9, correlation


def test_message_into_the_microphone_is_recorded(tmp_path: Path, spoken_take: Path, sound_server) -> None:  # type: ignore[no-untyped-def]
    source = Clip.load(spoken_take)
    recorder = Recorder(SoundDeviceBackend(), tmp_path / "take.wav")
    recorder.start()
    time.sleep(0.3)
    feeder = sound_server.feed_microphone(spoken_take)
    feeder.wait(30)
    time.sleep(0.5)
    take = recorder.stop()
    assert take.error is None
    recorded = Clip.load(take.path)
    assert abs(take.duration_s - take.wall_clock_s) < 0.25
    spoken = voiced_seconds(source)
    assert abs(voiced_seconds(recorded) - spoken) <= 0.1 * spoken
    correlation, _ = best_correlation(recorded.samples, source.resampled(recorded.samplerate).samples)
    assert correlation > 0.9, correlation


def test_recording_keeps_every_frame_while_the_interpreter_is_busy(tmp_path: Path, sound_server) -> None:  # type: ignore[no-untyped-def]
    with busy_interpreter():
        recorder = Recorder(SoundDeviceBackend(), tmp_path / "take.wav")
        recorder.start()
        time.sleep(4.0)
        take = recorder.stop()
    assert take.overflows == 0
    assert abs(take.duration_s - take.wall_clock_s) < 0.25, (take.duration_s, take.wall_clock_s)
    assert np.isfinite(Clip.load(take.path).samples).all()
