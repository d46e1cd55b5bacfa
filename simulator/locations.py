"""Where the program keeps things: shipped scenarios, user folders (XDG), the data folder."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import platformdirs

APP_NAME = "voicemail-sim"
SCENARIOS_ENV = "VOICEMAIL_SIM_SCENARIOS"
_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_DIR = _PACKAGE_DIR.parent


def running_from_checkout() -> bool:
    """True when the package sits in a source checkout (an editable install or a plain clone)."""
    return (_CHECKOUT_DIR / "pyproject.toml").is_file() and (_CHECKOUT_DIR / "scenarios").is_dir()


def shipped_scenarios_dir() -> Path:
    """The scenario library that comes with the program."""
    installed = _PACKAGE_DIR / "_shipped_scenarios"
    return installed if installed.is_dir() else _CHECKOUT_DIR / "scenarios"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME))


def record_index_dir() -> Path:
    """Where the record indexes are kept: the user's cache, never a (shared) data folder."""
    return cache_dir() / "index"


def default_data_dir() -> Path:
    """The checkout's folder when run from one (recordings/ lives there), else the user's data folder."""
    if running_from_checkout():
        return _CHECKOUT_DIR
    return Path(platformdirs.user_data_dir(APP_NAME))


def scenario_folders(extra: Sequence[Path] = ()) -> list[Path]:
    """Folders to read scenarios from, lowest priority first: shipped, user config, environment, CLI."""
    folders = [shipped_scenarios_dir(), config_dir() / "scenarios"]
    folders += [Path(p) for p in os.environ.get(SCENARIOS_ENV, "").split(os.pathsep) if p]
    folders += list(extra)
    return folders
