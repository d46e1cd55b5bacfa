"""Per-workstation settings remembered between runs (config.toml in the user's config folder)."""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import tomli_w

from simulator.fileio import atomic_write_text
from simulator.locations import config_dir
from simulator.scenarios import PhoneLine


@dataclass(frozen=True)
class Settings:
    trainee_name: str = ""
    input_device: str = ""
    output_device: str = ""
    rings: int = 2
    play_back: bool = True  # the review plays the take back as soon as it opens
    line: str = PhoneLine.NONE.value  # the phone line a call goes over, unless its scenario names one

    @property
    def phone_line(self) -> PhoneLine:
        """:attr:`line`, or no line when the remembered value is not a line's name."""
        try:
            return PhoneLine(self.line)
        except ValueError:
            return PhoneLine.NONE

    def with_changes(self, **changes: object) -> Settings:
        return replace(self, **changes)


def settings_path() -> Path:
    return config_dir() / "config.toml"


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings; defaults when the file is missing or unreadable (it is only a memory)."""
    path = path or settings_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return Settings()
    defaults = Settings()
    values = {
        key: data[key]
        for key in asdict(defaults)
        if key in data and isinstance(data[key], type(getattr(defaults, key)))
    }
    return Settings(**values)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    atomic_write_text(path or settings_path(), tomli_w.dumps(asdict(settings)))
