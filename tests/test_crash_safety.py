"""A recording process killed mid-take leaves a playable file holding all but the last moment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest
import soundfile as sf

from simulator.audio.base import Clip
from simulator.testing.speech import speak

from .audio_checks import best_correlation

LONG_MESSAGE = (
    "Hi Peggy, this is Steve Weinberg of Acme Chemicals. I am calling on Monday, January eleventh at ten "
    "thirty five in the morning to discuss how we can help you reduce the amount of your inventory while "
    "not negatively impacting your manufacturing operations. Please call me at three one two, five five "
    "five, zero one four seven to discuss this further. Again, that is three one two, five five five, "
    "zero one four seven. I will try you again next Monday. Have a good week."
)


def kill_while_recording(command: list[str], out: Path, after_s: float, env: dict[str, str]) -> float:
    """Start ``command``, SIGKILL it ``after_s`` after it says it is recording; return that interval."""
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
    assert process.stderr is not None
    line = process.stderr.readline()
    started = time.monotonic()
    assert line.startswith("Recording to"), line
    time.sleep(after_s)
    process.send_signal(signal.SIGKILL)
    killed = time.monotonic()
    process.wait()
    assert process.returncode == -signal.SIGKILL
    return killed - started


def check_survivor(out: Path, recorded_for_s: float, source: Clip | None) -> None:
    info = sf.info(str(out))
    with wave.open(str(out)) as handle:  # a strict reader: the header's sizes must be right
        assert handle.getnframes() == info.frames
    lost = recorded_for_s - info.duration
    assert -0.3 <= lost <= 0.5, f"recorded for {recorded_for_s:.2f} s, file holds {info.duration:.2f} s"
    if source is not None:
        kept = Clip.load(out)
        correlation, lag = best_correlation(kept.samples, source.samples[: len(kept.samples)])
        assert correlation > 0.99 and lag == 0


@pytest.fixture(scope="module")
def long_take(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return speak(LONG_MESSAGE, tmp_path_factory.mktemp("long") / "long.wav")


def test_sigkill_with_the_file_device(tmp_path: Path, long_take: Path) -> None:
    out = tmp_path / "killed.wav"
    command = [sys.executable, "-m", "simulator", "record", str(out), "--device-file", str(long_take)]
    interval = kill_while_recording(command, out, 3.0, dict(os.environ))
    check_survivor(out, interval, Clip.load(long_take))


@pytest.mark.realaudio
def test_sigkill_with_the_real_microphone(tmp_path: Path, long_take: Path, sound_server) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "killed.wav"
    feeder = sound_server.feed_microphone(long_take)
    try:
        command = [sys.executable, "-m", "simulator", "record", str(out)]
        interval = kill_while_recording(command, out, 3.0, sound_server.env())
    finally:
        feeder.kill()
        feeder.wait()
    check_survivor(out, interval, None)
