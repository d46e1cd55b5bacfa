"""``voicemail-sim scenarios``: list, show and validate the scenario library."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import Any

from simulator.cli.common import find_scenario, report_validation, scenario_library
from simulator.locations import scenario_folders
from simulator.scenario_loader import ScenarioError, load_scenario, scenario_files
from simulator.scenarios import Scenario


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent)


def cmd_scenarios_list(args: argparse.Namespace) -> int:
    loaded = scenario_library(args)
    rows = [(s.id, s.kind.value, s.prospect.name, s.title) for s in loaded.ordered()]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(("ID", "KIND", "PROSPECT"))]
    header = ("ID", "KIND", "PROSPECT", "TITLE")
    for row in [header, *rows]:
        print("  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row)))
    for error in loaded.broken:
        print(f"\nbroken: {error}", file=sys.stderr)
    return 1 if loaded.broken else 0


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
    shown = find_scenario(args, args.id)
    print(render_scenario(shown))
    if args.model:
        print("\nMODEL MESSAGE")
        print(_wrap(shown.model_message))
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
    return report_validation(
        files,
        load_scenario,
        ScenarioError,
        lambda s: f"{s.id} v{s.version}, {len(s.rubric.criteria)} criteria",
    )


def add_commands(sub: Any) -> None:
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
