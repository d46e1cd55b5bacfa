"""What the commands share, each written once: the error they raise, the scenario library, the data
folder, the sound devices, and the options those are read from."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from simulator.campaign_loader import load_campaigns, with_steps
from simulator.config import load_settings
from simulator.locations import default_data_dir, scenario_folders
from simulator.scenario_loader import Library, load_library
from simulator.scenarios import PhoneLine, Scenario
from simulator.toml_checks import FileProblemsError

T = TypeVar("T")

LINE_CHOICES = tuple(line.value for line in PhoneLine)


class CommandError(Exception):
    """A problem the user can fix; printed without a traceback, exit status 1 (or ``status``)."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def scenario_library(args: argparse.Namespace, say_overrides: bool = True) -> Library:
    """Every scenario folder's scenarios (``--scenarios`` last, so they win)."""
    loaded = load_library(scenario_folders(args.scenarios))
    if say_overrides:
        for note in loaded.overrides:
            print(f"note: {note}", file=sys.stderr)
    return loaded


def rubric_library(args: argparse.Namespace) -> Library:
    """The scenarios, with every campaign's steps among them: what exports and reports read rubrics from."""
    library = scenario_library(args, say_overrides=False)
    return with_steps(library, load_campaigns(scenario_folders(args.scenarios), library.scenarios))


def find_scenario(args: argparse.Namespace, scenario_id: str) -> Scenario:
    """One scenario by id; a CommandError saying why when there is none (or its file is broken)."""
    loaded = scenario_library(args)
    try:
        return loaded.get(scenario_id)
    except LookupError as error:
        broken = [e for e in loaded.broken if Path(e.path).stem == scenario_id]
        detail = f"\n{broken[0]}" if broken else ""
        raise CommandError(f"{error}{detail}") from None


def data_dir(args: argparse.Namespace) -> Path:
    """The ``--data`` folder, else the default one (the checkout's, or the user's data folder)."""
    return args.data or default_data_dir()


@dataclass(frozen=True)
class DeviceChoice:
    """The sound devices to open: a file-backed device, or names (empty: the system's default)."""

    file: Path | None
    input: str
    output: str


def device_choice(args: argparse.Namespace, remembered: bool = True) -> DeviceChoice:
    """The devices named on the command line, else (``remembered``) those saved with ``devices
    --remember``, else the system's defaults."""
    settings = load_settings() if remembered else None
    return DeviceChoice(
        args.device_file,
        args.input or (settings.input_device if settings else ""),
        args.output or (settings.output_device if settings else ""),
    )


def add_device_options(parser: argparse.ArgumentParser, top_level: bool = False) -> None:
    """Device options; on a subcommand they default to "not given", so a value given before the
    command (``voicemail-sim --input X record``) is not overwritten by the subcommand's default."""
    default = None if top_level else argparse.SUPPRESS
    parser.add_argument(
        "--input", metavar="NAME", default=default, help="microphone: a device name (or part) or index"
    )
    parser.add_argument(
        "--output", metavar="NAME", default=default, help="speakers: a device name (or part) or index"
    )
    parser.add_argument(
        "--device-file",
        type=Path,
        metavar="TAKE.wav",
        default=default,
        help="use a file-backed device that 'speaks' TAKE.wav",
    )


def add_data_option(parser: argparse.ArgumentParser, top_level: bool = False) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        default=None if top_level else argparse.SUPPRESS,
        help="where recordings and records are kept",
    )


def report_validation(
    files: list[Path],
    load: Callable[[Path], T],
    broken: type[FileProblemsError],
    described: Callable[[T], str],
) -> int:
    """Load each file, printing "PATH: ok (what)" or its file:line problems, then the tally; exit 1
    if any is broken (``scenarios validate``, ``campaigns validate``)."""
    failures = 0
    for path in files:
        try:
            loaded = load(path)
        except broken as error:
            failures += 1
            print(error)
            continue
        print(f"{path}: ok ({described(loaded)})")
    print(f"{len(files) - failures} valid, {failures} with errors")
    return 1 if failures else 0
