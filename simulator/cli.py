"""The command line: the app by default, plus scenario, audio and diagnostic commands."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

from simulator import __version__
from simulator.fileio import describe_os_error
from simulator.locations import SCENARIOS_ENV, scenario_folders
from simulator.scenario_loader import (
    Library,
    ScenarioError,
    load_library,
    load_scenario,
    scenario_files,
)
from simulator.scenarios import Scenario


class CommandError(Exception):
    """A problem the user can fix; printed without a traceback, exit status 1 (or ``status``)."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def _library(args: argparse.Namespace) -> Library:
    library = load_library(scenario_folders(args.scenarios))
    for note in library.overrides:
        print(f"note: {note}", file=sys.stderr)
    return library


def _scenario(args: argparse.Namespace, scenario_id: str) -> Scenario:
    library = _library(args)
    try:
        return library.get(scenario_id)
    except LookupError as error:
        broken = [e for e in library.broken if Path(e.path).stem == scenario_id]
        detail = f"\n{broken[0]}" if broken else ""
        raise CommandError(f"{error}{detail}") from None


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent)


def cmd_scenarios_list(args: argparse.Namespace) -> int:
    library = _library(args)
    rows = [(s.id, s.kind.value, s.prospect.name, s.title) for s in library.ordered()]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(("ID", "KIND", "PROSPECT"))]
    header = ("ID", "KIND", "PROSPECT", "TITLE")
    for row in [header, *rows]:
        print("  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row)))
    for error in library.broken:
        print(f"\nbroken: {error}", file=sys.stderr)
    return 1 if library.broken else 0


def render_scenario(scenario: Scenario) -> str:
    """A readable page: brief, prospect, targets and rubric."""
    brief, prospect, targets = scenario.brief, scenario.prospect, scenario.targets
    lines = [f"{scenario.title}  [{scenario.id} v{scenario.version}, {scenario.kind.value}]", ""]
    lines += ["YOU", _wrap(f"{brief.caller_role}, {brief.company}. {brief.offer}")]
    if brief.callback_number or brief.email:
        lines.append(_wrap(f"Your number: {brief.callback_number or '-'}   Email: {brief.email or '-'}"))
    lines += ["", "THE CALL", _wrap(brief.situation)]
    if brief.history:
        lines += ["", "BEFORE NOW", _wrap(brief.history)]
    lines += ["", "A GOOD OUTCOME", _wrap(brief.goal), ""]
    lines += ["PROSPECT", _wrap(f"{prospect.name}, {prospect.role}, {prospect.company}")]
    lines += [_wrap(f'Greeting: "{prospect.greeting}"'), ""]
    lines += [
        "TARGETS",
        _wrap(
            f"{targets.min_seconds:g}-{targets.max_seconds:g} s (cut off at {targets.hard_max_seconds:g} s), "
            f"at most {targets.max_words} words"
        ),
        "",
        "RUBRIC",
    ]
    for criterion in scenario.rubric.criteria:
        hints = f"  [machine check: {', '.join(criterion.hints)}]" if criterion.hints else ""
        lines.append(f"  - {criterion.label} (weight {criterion.weight:g}, {criterion.scale.value}){hints}")
        lines.append(_wrap(criterion.question, "      "))
        for level, anchor in zip(criterion.scale.levels, criterion.anchors, strict=False):
            lines.append(_wrap(f"{criterion.scale.label(level)}: {anchor}", "        "))
    return "\n".join(lines)


def cmd_scenarios_show(args: argparse.Namespace) -> int:
    scenario = _scenario(args, args.id)
    print(render_scenario(scenario))
    if args.model:
        print("\nMODEL MESSAGE")
        print(_wrap(scenario.model_message))
    return 0


def cmd_scenarios_validate(args: argparse.Namespace) -> int:
    targets = [Path(p) for p in args.paths] or scenario_folders(args.scenarios)
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            files += scenario_files(target)
        elif target.exists():
            files.append(target)
        elif args.paths:
            print(f"{target}: no such file or folder", file=sys.stderr)
            return 1
    failures = 0
    for path in files:
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            failures += 1
            print(error)
            continue
        print(f"{path}: ok ({scenario.id} v{scenario.version}, {len(scenario.rubric.criteria)} criteria)")
    print(f"{len(files) - failures} valid, {failures} with errors")
    return 1 if failures else 0


def build_parser(
    commands: dict[str, Callable[[argparse.Namespace], int]] | None = None,
) -> argparse.ArgumentParser:
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
    from simulator import cli_audio

    cli_audio.add_device_options(parser, top_level=True)
    cli_audio.add_data_option(parser, top_level=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    scenarios = sub.add_parser("scenarios", help="list, show and validate scenarios")
    scenarios_sub = scenarios.add_subparsers(dest="scenarios_command", metavar="ACTION", required=True)
    scenarios_sub.add_parser("list", help="the scenarios available").set_defaults(func=cmd_scenarios_list)
    show = scenarios_sub.add_parser("show", help="a scenario's brief, targets and rubric")
    show.add_argument("id")
    show.add_argument("--model", action="store_true", help="also print the model message")
    show.set_defaults(func=cmd_scenarios_show)
    validate = scenarios_sub.add_parser("validate", help="check scenario files; exit 1 if any is invalid")
    validate.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: all folders)")
    validate.set_defaults(func=cmd_scenarios_validate)

    cli_audio.add_commands(sub)
    from simulator import cli_records

    cli_records.add_commands(sub)
    from simulator import cli_drill

    cli_drill.add_commands(sub)
    from simulator import cli_analyze

    cli_analyze.add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    try:
        if func is None:
            from simulator import cli_audio

            return cli_audio.cmd_app(args)
        status = func(args)
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
