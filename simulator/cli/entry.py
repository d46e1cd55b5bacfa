"""``voicemail-sim``: the parser over every command group, and the edge where a command's errors
become one line and an exit status (never a traceback)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from simulator import __version__
from simulator.cli import analyze, app, audio, campaigns, doctor, drill, records, scenarios
from simulator.cli.common import LINE_CHOICES, CommandError, add_data_option, add_device_options
from simulator.fileio import describe_os_error
from simulator.locations import SCENARIOS_ENV


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voicemail-sim",
        description="Practise leaving a voicemail for a prospect. Without a command, starts the app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--scenarios",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help=f"also read scenarios from DIR (repeatable; also ${SCENARIOS_ENV})",
    )
    parser.add_argument("--no-audio", action="store_true", help="practise without a microphone or speakers")
    parser.add_argument(
        "--line",
        choices=LINE_CHOICES,
        help="the phone line calls go over, unless a scenario names its own (remembered setting: 'line')",
    )
    add_device_options(parser, top_level=True)
    add_data_option(parser, top_level=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in (scenarios, campaigns, audio, doctor, records, drill, analyze):
        group.add_commands(sub)
    parser.set_defaults(func=app.cmd_app)  # no command: the app
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status: int = args.func(args)
        sys.stdout.flush()  # a reader that stopped early is found here, not at exit
        return status
    except CommandError as error:
        print(f"voicemail-sim: {error}", file=sys.stderr)
        return error.status
    except KeyboardInterrupt:
        print("voicemail-sim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped early ("| head"): not an error, and no traceback
        _discard_stdout()
        return 0
    except OSError as error:  # a full disk, a read-only folder: what it means, and no traceback
        where: Path | str | None = _output_file(args, error)
        if where is None and not _stdout_writable():
            where = "standard output"
        print(f"voicemail-sim: {describe_os_error(error, where)}", file=sys.stderr)
        return 1


def _output_file(args: argparse.Namespace, error: OSError) -> Path | None:
    """The file a command was asked to write, if the error is about it (or its temporary twin)."""
    for name in ("out_file", "html", "out"):
        target = getattr(args, name, None)
        if not isinstance(target, Path):
            continue
        if error.filename is None or Path(error.filename).parent == target.parent:
            return target
    return None


def _stdout_writable() -> bool:
    try:
        sys.stdout.flush()
    except OSError:
        _discard_stdout()
        return False
    return True


def _discard_stdout() -> None:
    """Python flushes stdout at exit: what could not be written must not fail again there."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
