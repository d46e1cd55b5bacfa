"""The recorder with the file-backed device: length, levels, maximum, errors, what stays on disk."""

from __future__ import annotations

import subprocess
import time
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from simulator.audio.base import AudioError, Clip, LiveChannels, NoInputDeviceError
from simulator.audio.file_device import FileBackend
from simulator.audio.recorder import BLOCK_SECONDS, Recorder
from simulator.testing.soundserver import busy_interpreter

from .audio_checks import best_correlation


def test_take_holds_exactly_what_was_spoken(tmp_path: Path, spoken_take: Path) -> None:
    source = Clip.load(spoken_take)
    recorder = Recorder(FileBackend(spoken_take, speed=float("inf")), tmp_path / "take.wav")
    recorder.start()
    while recorder.elapsed_s < source.duration_s + 0.5:
        time.sleep(0.01)
    take = recorder.stop()
    assert take.error is None and take.overflows == 0
    recorded = Clip.load(take.path)
    assert recorded.samplerate == source.samplerate
    # 16-bit WAV: identical to the source within quantisation, then the open microphone's silence
    assert np.max(np.abs(recorded.samples[: len(source.samples)] - source.samples)) < 1e-4
    assert not recorded.samples[len(source.samples) :].any()


def test_levels_and_time_update_at_least_ten_times_a_second(tmp_path: Path, spoken_take: Path) -> None:
    recorder = Recorder(FileBackend(spoken_take), tmp_path / "take.wav")
    recorder.start()
    seen: list[tuple[float, float]] = []
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        sample = (recorder.elapsed_s, recorder.level.rms_dbfs)
        if not seen or sample != seen[-1]:
            seen.append(sample)
        time.sleep(0.005)
    take = recorder.stop()
    assert len(seen) >= 20, f"only {len(seen)} distinct updates in 2 s"
    assert 1.8 <= take.duration_s <= 2.2
    assert max(level for _, level in seen) > -30  # speech is loud enough to show on the meter


def test_hard_maximum_ends_the_take(tmp_path: Path, spoken_take: Path) -> None:
    recorder = Recorder(FileBackend(spoken_take, speed=8), tmp_path / "take.wav", max_seconds=1.5)
    recorder.start()
    assert recorder.wait(5.0), "the take should end by itself at the maximum"
    take = recorder.stop()
    assert take.cut_off
    assert take.frames == int(1.5 * take.samplerate)
    assert sf.info(str(take.path)).frames == take.frames


def test_no_microphone_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NoInputDeviceError, match="No microphone"):
        Recorder(FileBackend(None), tmp_path / "take.wav").start()
    assert not (tmp_path / "take.wav").exists()


class _StallingBackend(FileBackend):
    """A device that stops delivering after a while, as an unplugged USB headset does."""

    def open_input(self, sink, blocksize_s):  # type: ignore[no-untyped-def]
        delivered = [0]

        def stalling_sink(frames: np.ndarray, overflowed: bool) -> None:
            delivered[0] += 1
            if delivered[0] <= 20:
                sink(frames, overflowed)

        return super().open_input(stalling_sink, blocksize_s)


def test_device_lost_mid_take_keeps_the_audio(tmp_path: Path, spoken_take: Path) -> None:
    recorder = Recorder(_StallingBackend(spoken_take), tmp_path / "take.wav", stall_timeout_s=0.5)
    recorder.start()
    assert recorder.wait(5.0)
    take = recorder.stop()
    assert "stopped sending sound" in (take.error or "")
    assert abs(take.duration_s - 1.0) < 0.01  # 20 blocks of 50 ms
    assert sf.info(str(take.path)).frames == take.frames


def test_overflows_are_counted(tmp_path: Path, spoken_take: Path) -> None:
    class Overflowing(FileBackend):
        def open_input(self, sink, blocksize_s):  # type: ignore[no-untyped-def]
            return super().open_input(lambda frames, _: sink(frames, True), blocksize_s)

    recorder = Recorder(Overflowing(spoken_take, speed=8), tmp_path / "take.wav", max_seconds=1.0)
    recorder.start()
    recorder.wait(5.0)
    take = recorder.stop()
    block = int(take.samplerate * BLOCK_SECONDS)
    assert take.overflows == -(-take.frames // block)  # every block of the take, none after it


def test_unwritable_folder_is_a_clear_error(tmp_path: Path, spoken_take: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    with pytest.raises((AudioError, OSError)):
        Recorder(FileBackend(spoken_take), blocked / "take.wav").start()


def _small_filesystem(tmp_path: Path, size_kib: int) -> Path:
    mount = tmp_path / "small"
    mount.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {result.stderr.decode().strip()}")
    return mount


def test_disk_full_keeps_a_playable_take(tmp_path: Path, spoken_take: Path) -> None:
    mount = _small_filesystem(tmp_path, 64)
    try:
        recorder = Recorder(FileBackend(spoken_take, speed=8), mount / "take.wav", max_seconds=30)
        recorder.start()
        assert recorder.wait(10.0)
        take = recorder.stop()
        assert "disk full" in (take.error or "")
        with wave.open(str(take.path)) as handle:  # the header matches what made it to disk
            frames = handle.getnframes()
        assert frames > 0
        assert frames * 2 + 44 <= 64 * 1024
        recorded = Clip.load(take.path)
        source = Clip.load(spoken_take)
        correlation, lag = best_correlation(recorded.samples, source.samples[: len(recorded.samples)])
        assert correlation > 0.99 and lag == 0
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_busy_interpreter_loses_no_frames(tmp_path: Path, spoken_take: Path) -> None:
    """A CPU-bound thread in the same process must not make frames vanish (shared/audio-ci.md)."""
    with busy_interpreter():
        recorder = Recorder(FileBackend(spoken_take), tmp_path / "take.wav")
        recorder.start()
        time.sleep(3.0)
        take = recorder.stop()
    assert abs(take.duration_s - take.wall_clock_s) < 0.15, (take.duration_s, take.wall_clock_s)


def test_live_channels_leave_a_dead_side_out() -> None:
    voice = np.sin(np.arange(4800) / 7).astype(np.float32)
    silent = np.zeros_like(voice)
    channels = LiveChannels()
    first = channels.mono(np.stack([silent[:100], silent[:100]], axis=1))
    assert np.all(first == 0)  # nothing heard yet on either side
    mixed = channels.mono(np.stack([silent, voice], axis=1))
    assert np.allclose(mixed, voice)  # the dead left side is left out, not averaged in
    both = LiveChannels().mono(np.stack([voice, voice * 0.5], axis=1))
    assert np.allclose(both, voice * 0.75)  # two live sides are averaged
    assert np.array_equal(LiveChannels().mono(voice), voice)  # mono passes as it is
