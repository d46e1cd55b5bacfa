"""A file-backed audio device: "records" a WAV file in real time (or faster), "plays" with real timing.

For tests, demos and practising without a sound card. Optionally keeps what it played in a file.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np

from simulator.audio.base import Clip, DeviceInfo, FrameSink, NoInputDeviceError
from simulator.audio.timed import TimedPlayback


class FileInputStream:
    """Delivers a clip block by block at its own pace, then silence, like a microphone left open."""

    def __init__(self, clip: Clip, sink: FrameSink, blocksize_s: float, speed: float) -> None:
        self.samplerate = clip.samplerate
        self._clip = clip
        self._sink = sink
        self._block = max(1, int(clip.samplerate * blocksize_s))
        self._speed = speed
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="file-input", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        start = time.monotonic()
        position = 0
        samples = self._clip.samples
        silence = np.zeros(self._block, dtype=np.float32)
        while not self._stop.is_set():
            block = samples[position : position + self._block]
            if len(block) < self._block:
                block = np.concatenate([block, silence[: self._block - len(block)]])
            self._sink(block.copy(), False)
            position += self._block
            if self._speed != float("inf"):
                due = start + position / self.samplerate / self._speed
                self._stop.wait(max(0.0, due - time.monotonic()))
            elif position % (self._block * 50) == 0:
                time.sleep(0)  # let the writer run when delivering as fast as possible

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(2.0)

    def close(self) -> None:
        self.stop()


class FileBackend:
    """Audio "devices" made of files: the input is a WAV (the trainee's take), output is timed."""

    name = "file"

    def __init__(
        self,
        input_file: Path | None = None,
        speed: float = 1.0,
        capture_file: Path | None = None,
        input_samplerate: int | None = None,
        silent_input: bool = False,
    ) -> None:
        self.input_file = input_file
        self.silent_input = silent_input
        self.speed = speed
        self.capture_file = capture_file
        self._input_rate = input_samplerate
        self._input_clip: Clip | None = None
        self.played: list[Clip] = []

    def devices(self) -> list[DeviceInfo]:
        found = [DeviceInfo(1, "file output (timed, silent)", 0, 2, 48000.0, is_default_output=True)]
        if self.silent_input and self.input_file is None:
            found.insert(0, DeviceInfo(0, "no microphone (silence)", 1, 0, 16000.0, True))
        if self.input_file is not None:
            found.insert(0, DeviceInfo(0, f"file input: {self.input_file.name}", 1, 0, 48000.0, True))
        return found

    def play(self, clip: Clip) -> TimedPlayback:
        self.played.append(clip)
        captured: list[np.ndarray] = []

        def on_chunk(start: int, end: int) -> None:
            captured.append(clip.samples[start:end])
            if end >= len(clip.samples) and self.capture_file is not None:
                Clip(np.concatenate(captured), clip.samplerate).save(self.capture_file)

        return TimedPlayback(len(clip.samples), clip.samplerate, self.speed, on_chunk)

    def open_input(self, sink: FrameSink, blocksize_s: float) -> FileInputStream:
        if self.input_file is None and self.silent_input:
            silence = Clip(np.zeros(0, dtype=np.float32), self._input_rate or 16000)
            return FileInputStream(silence, sink, blocksize_s, self.speed)
        if self.input_file is None:
            raise NoInputDeviceError(
                "No microphone: the file-backed device has no take to play in. "
                "Pass --device-file TAKE.wav, or connect a microphone."
            )
        if self._input_clip is None:
            clip = Clip.load(self.input_file)
            self._input_clip = clip.resampled(self._input_rate) if self._input_rate else clip
        return FileInputStream(self._input_clip, sink, blocksize_s, self.speed)
