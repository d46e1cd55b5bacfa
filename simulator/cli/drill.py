"""``voicemail-sim drill``: run an instructor-led drill in the app, or resume one."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from simulator.cli.app import start_app
from simulator.cli.common import CommandError, add_data_option, add_device_options, data_dir, rubric_library
from simulator.drill import DEFAULT_PREP_S, DrillStore, RosterError, load_roster
from simulator.tui.startup import DrillResumeStart, DrillSetupStart


def cmd_drill(args: argparse.Namespace) -> int:
    roster: list[str] = []
    if args.roster is not None:
        try:
            roster = load_roster(args.roster)
        except RosterError as error:
            raise CommandError(f"roster not loaded: {error}") from None
    if args.resume:
        folder = data_dir(args)
        drill = DrillStore(folder).latest_unfinished()
        if drill is None:
            raise CommandError(f"no unfinished drill to resume in {folder / 'drills'}")
        return start_app(args, DrillResumeStart(drill))
    if args.scenario:  # walked: an id mistyped opened the set-up with nothing ticked, unsaid
        known = rubric_library(args).scenarios
        if unknown := [s for s in args.scenario if s not in known]:
            raise CommandError(
                f"no scenario or campaign step {', '.join(map(repr, unknown))}; "
                f"'voicemail-sim scenarios list' and 'voicemail-sim campaigns list' show the ids"
            )
    setup = DrillSetupStart(tuple(roster), tuple(args.scenario), args.rounds, args.shuffle, args.prep)
    return start_app(args, setup)


def add_commands(sub: Any) -> None:
    drill = sub.add_parser("drill", help="run an instructor-led group drill (or --resume one)")
    drill.add_argument("--roster", type=Path, metavar="FILE", help="CSV with a name column, or TOML")
    drill.add_argument(
        "--scenario", action="append", default=[], metavar="ID", help="repeatable, one per round"
    )
    drill.add_argument("--rounds", type=int, default=1)
    drill.add_argument("--shuffle", action="store_true", help="shuffle the turn order each round")
    drill.add_argument(
        "--prep", type=int, default=DEFAULT_PREP_S, metavar="SECONDS",
        help=f"preparation countdown (default {DEFAULT_PREP_S} s)",
    )  # fmt: skip
    drill.add_argument("--resume", action="store_true", help="continue the last unfinished drill")
    add_data_option(drill)
    add_device_options(drill)
    drill.set_defaults(func=cmd_drill)
