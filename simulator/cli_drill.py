"""``voicemail-sim drill``: run an instructor-led drill in the app, or resume one."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def _command_error(message: str) -> Exception:
    from simulator.cli import CommandError

    return CommandError(message)


def cmd_drill(args: argparse.Namespace) -> int:
    from simulator.drill import DrillStore, RosterError, load_roster
    from simulator.locations import default_data_dir
    from simulator.tui.app import run_app

    roster: list[str] = []
    if args.roster is not None:
        try:
            roster = load_roster(args.roster)
        except RosterError as error:
            raise _command_error(f"roster not loaded: {error}") from None
    data_dir = args.data or default_data_dir()
    if args.resume:
        drill = DrillStore(data_dir).latest_unfinished()
        if drill is None:
            raise _command_error(f"no unfinished drill to resume in {data_dir / 'drills'}")

        def first_screen(app):  # type: ignore[no-untyped-def]
            from simulator.tui.screens.drill import DrillSession, DrillTurnScreen

            return DrillTurnScreen(DrillSession(app, drill))

        return run_app(args, first_screen)

    def setup_screen(app):  # type: ignore[no-untyped-def]
        from simulator.tui.screens.drill import DrillSetupScreen

        return DrillSetupScreen(roster, args.scenario, args.rounds, args.shuffle, args.prep)

    return run_app(args, setup_screen)


def add_commands(sub: Any) -> None:
    drill = sub.add_parser("drill", help="run an instructor-led group drill (or --resume one)")
    drill.add_argument("--roster", type=Path, metavar="FILE", help="CSV with a name column, or TOML")
    drill.add_argument(
        "--scenario", action="append", default=[], metavar="ID", help="repeatable, one per round"
    )
    drill.add_argument("--rounds", type=int, default=1)
    drill.add_argument("--shuffle", action="store_true", help="shuffle the turn order each round")
    drill.add_argument("--prep", type=int, default=0, metavar="SECONDS", help="preparation countdown")
    drill.add_argument("--resume", action="store_true", help="continue the last unfinished drill")
    from simulator.cli_audio import add_data_option, add_device_options

    add_data_option(drill)
    add_device_options(drill)
    drill.set_defaults(func=cmd_drill)
