"""Building the app for tests: shipped scenarios, a temporary data folder, a file-backed device."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import soundfile as sf
from textual.pilot import Pilot

from simulator.audio.base import AudioBackend
from simulator.audio.file_device import FileBackend
from simulator.audio.recorder import Take
from simulator.config import Settings
from simulator.locations import shipped_scenarios_dir
from simulator.practice import PracticeAttempt
from simulator.scenario_loader import load_library
from simulator.store import Store
from simulator.tui.app import Services, VoicemailApp
from simulator.voice.cache import GreetingCache
from simulator.voice.synth import Pyttsx3Synthesizer, Synthesizer

FIXED_START = datetime(2026, 11, 23, 10, 30, tzinfo=timezone(timedelta(hours=1)))


def make_services(
    tmp_path: Path,
    take: Path | None,
    *,
    speed: float = 4.0,
    open_audio: Callable[[], AudioBackend] | None = None,
    synthesizer: Synthesizer | None = None,
    trainee: str = "",
    greetings_dir: Path | None = None,
) -> Services:
    return Services(
        library=load_library([shipped_scenarios_dir()]),
        store=Store(tmp_path / "data"),
        greetings=GreetingCache(greetings_dir or tmp_path / "greetings", synthesizer or Pyttsx3Synthesizer()),
        open_audio=open_audio or (lambda: FileBackend(take, speed=speed)),
        settings=Settings(trainee_name=trainee, rings=0),
    )


def make_app(tmp_path: Path, take: Path | None, **kwargs: object) -> VoicemailApp:
    return VoicemailApp(make_services(tmp_path, take, **kwargs))  # type: ignore[arg-type]


async def wait_for(pilot: Pilot, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Let the app run until ``condition`` holds and the screen on top is mounted (a pushed screen
    is on top before its widgets are composed); fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not (condition() and pilot.app.screen.is_mounted):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting; screen is {pilot.app.screen!r}")
        await pilot.pause(0.05)
        await asyncio.sleep(0)


def finished_practice(
    store: Store, scenario_id: str, take_wav: Path, trainee: str = "Sam Patel"
) -> PracticeAttempt:
    """An attempt whose take is ``take_wav``, recorded at a fixed time: deterministic screens."""
    scenario = load_library([shipped_scenarios_dir()]).get(scenario_id)
    practice = PracticeAttempt(store, scenario, trainee)
    practice.id = "0123456789abcdef0123456789abcdef"
    practice.started_at = FIXED_START
    practice.audio_path = store.take_path(trainee, scenario.id, FIXED_START, practice.id)
    practice.audio_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(take_wav, practice.audio_path)
    info = sf.info(str(practice.audio_path))
    practice.finish(Take(practice.audio_path, info.samplerate, info.frames, 0, False, info.duration))
    return practice
