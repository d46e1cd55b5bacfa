"""The real path: PortAudio through a PulseAudio server with a virtual speaker and microphone.

These run wherever the sound server starts, and must run in CI (CI=true).
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

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


def test_the_speaker_capture_keeps_the_end_of_what_was_played(spoken_take: Path, sound_server) -> None:  # type: ignore[no-untyped-def]
    """The test harness itself: stopped straight after a playback on a loaded machine, the capture
    holds all of it (with parec's default buffering it lost all but 0.8 s on 9 tries in 12)."""
    source = Clip.load(spoken_take)
    burners = [subprocess.Popen(["sh", "-c", "while :; do :; done"]) for _ in range(3)]
    try:
        capture = sound_server.capture_speaker(rate=16000)
        time.sleep(0.3)
        subprocess.run(["paplay", "--device=speaker", str(spoken_take)], env=sound_server.env(), check=True)
        heard = capture.finish()
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    spoken = voiced_seconds(source)
    assert voiced_seconds(Clip(heard, 16000)) >= 0.9 * spoken, (len(heard) / 16000, source.duration_s)


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


def test_a_stereo_microphone_with_a_dead_side_is_recorded_at_full_level(
    tmp_path: Path, spoken_take: Path, sound_server
) -> None:  # type: ignore[no-untyped-def]
    """A stereo microphone whose left channel is dead (issue #16): the take is the live side, at its
    own level, not silence (the first channel) nor half of it (both averaged)."""
    source = Clip.load(spoken_take).resampled(48000)
    stereo = tmp_path / "dead-left.wav"
    sf.write(str(stereo), np.stack([np.zeros_like(source.samples), source.samples], axis=1), 48000)
    module = sound_server.run(
        "pactl", "load-module", "module-null-sink", "sink_name=stereo_mic", "rate=48000", "channels=2",
        "norewinds=1",
    ).stdout.decode().strip()  # fmt: skip
    sound_server.run("pactl", "set-default-source", "stereo_mic.monitor")
    try:
        recorder = Recorder(SoundDeviceBackend(), tmp_path / "take.wav")
        recorder.start()
        time.sleep(0.3)
        feeder = subprocess.Popen(["paplay", "--device=stereo_mic", str(stereo)], env=sound_server.env())
        feeder.wait(30)
        time.sleep(0.5)
        take = recorder.stop()
    finally:
        sound_server.run("pactl", "set-default-source", "vmic_feed.monitor")
        sound_server.run("pactl", "unload-module", module)
    assert take.error is None
    recorded = Clip.load(take.path)
    correlation, _ = best_correlation(recorded.samples, source.resampled(recorded.samplerate).samples)
    assert correlation > 0.9, correlation
    level_db = 20 * np.log10(np.max(np.abs(recorded.samples)) / np.max(np.abs(source.samples)))
    assert level_db > -2.0, level_db  # averaged with the dead side it would be -6 dB


def test_devices_shows_the_sound_servers_own_devices(
    sound_server, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    """Behind PortAudio's "pulse" and "default", the microphones and speakers a trainer knows (#17)."""
    from simulator.cli import main

    assert main(["devices"]) == 0
    out = capsys.readouterr().out
    assert "Behind 'pulse' and 'default'" in out
    assert "vmic_feed.monitor *" in out and "speaker *" in out


def test_a_greeting_over_the_landline_reaches_the_speaker_without_energy_above_4_khz(
    tmp_path: Path, sound_server
) -> None:  # type: ignore[no-untyped-def]
    """Issue #18: the line-filtered greeting and beep, played through the sound server and captured
    from its virtual speaker, keep nothing above the telephone band (the plain one does)."""
    from simulator.scenarios import PhoneLine

    from .test_phone_line import share_db

    cache = GreetingCache(tmp_path, Pyttsx3Synthesizer())
    shares = {}
    for line in (PhoneLine.NONE, PhoneLine.LANDLINE):
        prospect = ANNE.on_line(line)
        call = compose_call(Clip.load(cache.path_for(prospect)), ANNE.greeting, rings=0, line=line)
        capture = sound_server.capture_speaker(rate=16000)  # as the test above: 4-8 kHz is above the line
        time.sleep(0.3)
        assert SoundDeviceBackend().play(call.clip).wait(call.end_s + 5.0)
        time.sleep(0.3)
        heard = capture.finish()
        assert voiced_seconds(Clip(heard, 16000)) > 0.5  # the greeting was heard at all
        shares[line] = share_db(heard, 16000, 4000, 8000)
    assert shares[PhoneLine.NONE] > -35, shares  # espeak-ng's voice has energy up there
    # what is left is the sound server's own resampling
    assert shares[PhoneLine.LANDLINE] < -40, shares
    assert shares[PhoneLine.NONE] - shares[PhoneLine.LANDLINE] > 20, shares
