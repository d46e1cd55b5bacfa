"""Shared fixtures: isolated user folders, the shipped scenarios, speech fixtures, a real sound server."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.locations import shipped_scenarios_dir

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CACHE = Path(__file__).resolve().parent / ".fixture-cache"


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


def speak(
    text: str,
    out: Path,
    voice: str = "en",
    speed: int = 160,
    engine: str = "espeak-ng",
    *,
    ssml: bool = False,
) -> Path:
    """Synthesise ``text`` (SSML for espeak-ng if ``ssml``) to ``out`` with espeak-ng or flite, cached."""
    FIXTURE_CACHE.mkdir(exist_ok=True)
    key = hashlib.sha256(f"{engine}|{voice}|{speed}|{ssml}|{text}".encode()).hexdigest()[:24]
    cached = FIXTURE_CACHE / f"{key}.wav"
    if not cached.exists():
        tmp = cached.with_suffix(".part.wav")
        if engine == "flite":
            subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(tmp)], check=True)
        else:
            markup = ["-m"] if ssml else []
            subprocess.run([engine, *markup, "-v", voice, "-s", str(speed), "-w", str(tmp), text], check=True)
        os.replace(tmp, cached)
    shutil.copyfile(cached, out)
    return out


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
