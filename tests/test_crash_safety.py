"""A recording process killed mid-take leaves a playable file holding all but the last moment; a
program that ends while the recogniser is still reading a take exits cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
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


# Feeds a take to the recogniser, then ends the program while it is still reading the words (as a
# trainee quitting straight after a long take does, or Ctrl+C on `voicemail-sim analyze`).
QUIT_WHILE_READING = """
import sys, time
from simulator.analysis.transcribe import Listening, Transcriber
from simulator.audio.base import Clip
clip = Clip.load(sys.argv[1])
transcriber = Transcriber(Listening())
block = clip.samplerate // 10
for start in range(0, len(clip.samples), block):
    transcriber.feed(clip.samples[start : start + block], clip.samplerate)
transcriber.end_of_audio()
time.sleep(float(sys.argv[2]))
print("still reading" if not transcriber.done() else "done", flush=True)
"""


@pytest.fixture(scope="module")
def very_long_take(long_take: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The long message three times over (about 80 s): several seconds of reading on any CPU."""
    clip = Clip.load(long_take)
    path = tmp_path_factory.mktemp("very-long") / "very-long.wav"
    sf.write(path, np.tile(clip.samples, 3), clip.samplerate)
    return path


@pytest.mark.parametrize("after_s", [0.5, 1.5])
def test_quitting_while_words_are_read_exits_cleanly(very_long_take: Path, after_s: float) -> None:
    """Before the fix, CTranslate2's thread was still decoding as Python shut down: a segfault
    (exit 139) and a screenful of "nanobind: leaked …" on stderr."""
    started = time.monotonic()
    command = [sys.executable, "-c", QUIT_WHILE_READING, str(very_long_take), str(after_s)]
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "still reading", done.stdout  # the case this test is about
    assert done.returncode == 0, done.stderr[-2000:]
    assert "leaked" not in done.stderr and "Segmentation" not in done.stderr, done.stderr[-2000:]
    assert time.monotonic() - started < after_s + 15  # stopped after one stretch, not the whole take
