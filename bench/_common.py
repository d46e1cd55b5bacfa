"""Shared helpers for the benchmarks: timing statistics, printing, an optional real sound server."""

from __future__ import annotations

import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000.0


def line(label: str, value: str) -> None:
    print(f"  {label:<44} {value}")


@contextmanager
def real_sound_server() -> Iterator[object | None]:
    """A private PulseAudio server with a virtual microphone, or None where none can start."""
    from simulator.testing.soundserver import SoundServerError, using_sound_server

    try:
        context = using_sound_server()
        server = context.__enter__()
    except SoundServerError as error:
        print(f"  (no sound server: {error}; using the file-backed device)")
        yield None
        return
    try:
        yield server
    finally:
        context.__exit__(None, None, None)
