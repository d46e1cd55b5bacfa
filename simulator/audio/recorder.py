"""Record a take to disk as it is spoken, with live level and elapsed time.

The audio callback only puts a copy of each block on a queue; a writer thread appends blocks to a
crash-safe WAV, measures the level and enforces the maximum length. Whatever goes wrong (device
lost, disk full), what was recorded so far stays on disk and the reason is kept with the take.
"""

from __future__ import annotations

import errno
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simulator.audio.base import AudioBackend, AudioError, InputStream, LiveChannels, TakeFileError, dbfs
from simulator.audio.wavwriter import CrashSafeWavWriter
from simulator.fileio import describe_os_error

BLOCK_SECONDS = 0.05  # 20 level updates a second; PortAudio asked for high latency (see backend)
_EMPTY_WAV_BYTES = 44  # a WAV header and no frames


@dataclass(frozen=True)
class Level:
    rms_dbfs: float = -120.0
    peak_dbfs: float = -120.0


SILENT = Level()


@dataclass(frozen=True)
class Take:
    """What a finished recording left on disk, and how it went."""

    path: Path
    samplerate: int
    frames: int
    overflows: int
    cut_off: bool
    wall_clock_s: float
    error: str | None = None

    @property
    def duration_s(self) -> float:
        return self.frames / self.samplerate if self.samplerate else 0.0


class Recorder:
    """One take from ``backend``'s input to ``path``. Use :meth:`start`, then :meth:`stop`."""

    def __init__(
        self,
        backend: AudioBackend,
        path: Path,
        max_seconds: float | None = None,
        stall_timeout_s: float = 2.0,
        on_block: Callable[[np.ndarray, int], None] | None = None,
    ) -> None:
        self.path = path
        self._backend = backend
        self._max_seconds = max_seconds
        self._stall_timeout = stall_timeout_s
        self._on_block = on_block
        self._queue: queue.SimpleQueue[tuple[np.ndarray, bool] | None] = queue.SimpleQueue()
        self._stream: InputStream | None = None
        self._writer_thread: threading.Thread | None = None
        self._finished = threading.Event()
        self._stop_lock = threading.Lock()
        self._take: Take | None = None
        self._overflows = 0
        self._frames = 0
        self._samplerate = 0
        self._level = SILENT
        self._cut_off = False
        self._error: str | None = None
        self._started_at = 0.0

    # -- live state, safe to read from any thread ------------------------------------------------
    @property
    def elapsed_s(self) -> float:
        return self._frames / self._samplerate if self._samplerate else 0.0

    @property
    def level(self) -> Level:
        return self._level

    @property
    def overflows(self) -> int:
        return self._overflows

    @property
    def finished(self) -> bool:
        """True once the take ended by itself (maximum length reached or an error)."""
        return self._finished.is_set()

    @property
    def error(self) -> str | None:
        return self._error

    # -- control ------------------------------------------------------------------------------
    def start(self) -> None:
        """Open the input and begin writing. Raises :class:`AudioError` if no take can start; a take
        file left empty by the failure is removed (a full disk must not collect empty takes)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise TakeFileError.from_os_error(error, self.path.parent) from None
        try:
            stream = self._backend.open_input(self._receive, BLOCK_SECONDS)
        except BaseException:
            self._remove_if_empty()
            raise
        self._samplerate = stream.samplerate
        try:
            writer = CrashSafeWavWriter(self.path, stream.samplerate)
        except OSError as error:
            stream.close()
            self._remove_if_empty()
            raise TakeFileError.from_os_error(error, self.path) from None
        self._stream = stream
        self._writer_thread = threading.Thread(target=self._write_loop, args=(writer,), name="take-writer")
        self._writer_thread.start()
        self._started_at = time.monotonic()
        try:
            stream.start()
        except Exception as error:
            self._fail(f"the microphone would not start: {error}")
            self.stop()
            self._remove_if_empty()
            raise AudioError(self._error or "the microphone would not start") from None

    def _remove_if_empty(self) -> None:
        """Remove the take's file if no sound reached it (nothing but, at most, a WAV header)."""
        try:
            if self.path.stat().st_size <= _EMPTY_WAV_BYTES:
                self.path.unlink()
        except OSError:
            pass

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the take to end by itself; True if it did."""
        return self._finished.wait(timeout)

    def stop(self) -> Take:
        """End the take (idempotent) and return what is on disk."""
        with self._stop_lock:
            if self._take is not None:
                return self._take
            wall = time.monotonic() - self._started_at
            self._close_stream()
            self._queue.put(None)
            if self._writer_thread is not None:
                self._writer_thread.join()
            self._take = Take(
                self.path,
                self._samplerate,
                self._frames,
                self._overflows,
                self._cut_off,
                wall,
                self._error,
            )
            return self._take

    # -- internals ----------------------------------------------------------------------------
    def _receive(self, frames: np.ndarray, overflowed: bool) -> None:
        """Audio thread: hand the block over and return at once."""
        self._queue.put((frames, overflowed))

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        try:
            stream.stop()
            stream.close()
        except Exception:  # a lost device may refuse to stop; the take is already safe on disk
            pass

    def _fail(self, message: str) -> None:
        if self._error is None:
            self._error = message
        self._finished.set()

    def _kept_so_far(self, error: OSError) -> str:
        reason = "disk full" if error.errno in (errno.ENOSPC, errno.EDQUOT) else "cannot write"
        return (
            f"The take stopped early ({reason}). {describe_os_error(error, self.path)} "
            "What was recorded before this is kept."
        )

    def _write_loop(self, writer: CrashSafeWavWriter) -> None:
        max_frames = int(self._max_seconds * self._samplerate) if self._max_seconds else None
        last_block = time.monotonic()
        channels = LiveChannels()
        try:
            while True:
                try:
                    item = self._queue.get(timeout=0.25)
                except queue.Empty:
                    if self._stream is not None and time.monotonic() - last_block > self._stall_timeout:
                        self._fail(
                            "The microphone stopped sending sound (unplugged?). The take so far is kept."
                        )
                        threading.Thread(target=self._close_stream, daemon=True).start()
                    continue
                if item is None:
                    break
                last_block = time.monotonic()
                if self._finished.is_set():
                    continue  # ended by maximum or error; drain until stop()
                block, overflowed = item
                block = channels.mono(block)
                self._overflows += overflowed  # only blocks that belong to the take count
                if max_frames is not None and self._frames + len(block) >= max_frames:
                    block = block[: max_frames - self._frames]
                    self._cut_off = True
                try:
                    writer.write(block)
                except OSError as error:
                    self._fail(self._kept_so_far(error))
                    continue
                self._frames += len(block)
                if len(block):
                    self._level = Level(
                        dbfs(float(np.sqrt(np.mean(block.astype(np.float64) ** 2)))),
                        dbfs(float(np.max(np.abs(block)))),
                    )
                if self._on_block is not None:
                    self._on_block(block, self._samplerate)
                if self._cut_off:
                    self._finished.set()
        finally:
            try:
                writer.close()
            except OSError as error:
                self._fail(self._kept_so_far(error))
