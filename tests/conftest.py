"""Shared fixtures: isolated user folders, the shipped scenarios, speech fixtures, a real sound server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.locations import shipped_scenarios_dir
from simulator.testing.speech import speak

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's own config, cache and data out of every test."""
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.delenv("VOICEMAIL_SIM_SCENARIOS", raising=False)


@pytest.fixture(scope="session")
def shipped_dir() -> Path:
    return shipped_scenarios_dir()


@pytest.fixture(scope="session")
def cold_call_text(shipped_dir: Path) -> str:
    return (shipped_dir / "cold-call.toml").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def spoken_take(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trainee's message synthesised with espeak-ng: a real voice-like WAV, about 9 seconds."""
    folder = tmp_path_factory.mktemp("takes")
    return speak(
        "Hi Anne, it's Sam Patel from Clearline Office Solutions. I can cut your firm's printing costs "
        "by about a third. Call me on 0116 496 0732. I'll try you again Thursday morning.",
        folder / "take.wav",
    )


@pytest.fixture(scope="session")
def sound_server() -> Iterator[object]:
    """A private PulseAudio daemon with a virtual speaker and microphone.

    Skips with the reason on a developer machine where it cannot start; in CI (CI=true) it must.
    """
    from simulator.testing.soundserver import SoundServerError, using_sound_server

    try:
        context = using_sound_server()
        server = context.__enter__()
    except SoundServerError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must prove the real audio path, but the sound server did not start: {error}")
        pytest.skip(f"no sound server here: {error}")
    try:
        yield server
    finally:
        context.__exit__(None, None, None)
