"""A playback driven by a thread that advances with real (or scaled) time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TimedPlayback:
    """Consumes ``total_frames`` at ``samplerate`` × ``speed``; ``on_chunk`` sees each chunk played."""

    def __init__(
        self,
        total_frames: int,
        samplerate: int,
        speed: float = 1.0,
        on_chunk: Callable[[int, int], None] | None = None,
        chunk_s: float = 0.02,
    ) -> None:
        self._total = total_frames
        self._rate = samplerate
        self._speed = speed
        self._on_chunk = on_chunk
        self._chunk = max(1, int(samplerate * chunk_s))
        self._played = 0
        self._stop = threading.Event()
        self._done = threading.Event()
        self._error: str | None = None
        self._first_sample_at: float | None = None
        self._thread = threading.Thread(target=self._run, name="timed-playback", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        start = time.monotonic()
        try:
            while self._played < self._total and not self._stop.is_set():
                end = min(self._total, self._played + self._chunk)
                if self._first_sample_at is None:
                    self._first_sample_at = time.monotonic()
                if self._on_chunk is not None:
                    self._on_chunk(self._played, end)
                self._played = end
                if self._speed != float("inf"):
                    due = start + self._played / self._rate / self._speed
                    self._stop.wait(max(0.0, due - time.monotonic()))
        except Exception as error:  # a playback must always finish, reporting why
            self._error = str(error)
        finally:
            self._done.set()

    def is_finished(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        self._done.wait(1.0)

    @property
    def position_s(self) -> float:
        return self._played / self._rate

    @property
    def error(self) -> str | None:
        return self._error

    @property
    def first_sample_at(self) -> float | None:
        return self._first_sample_at
