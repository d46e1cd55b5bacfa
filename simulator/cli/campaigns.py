"""``voicemail-sim campaigns``: list, show and validate the follow-up campaigns."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import Any

from simulator.campaign_loader import CampaignError, Campaigns, campaign_files, load_campaign, load_campaigns
from simulator.campaign_progress import cadence
from simulator.campaigns import Campaign
from simulator.cli.common import CommandError, report_validation, scenario_library
from simulator.locations import scenario_folders


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent)


def campaign_library(args: argparse.Namespace) -> Campaigns:
    found = load_campaigns(
        scenario_folders(args.scenarios), scenario_library(args, say_overrides=False).scenarios
    )
    for note in found.overrides:
        print(f"note: {note}", file=sys.stderr)
    return found


def cmd_campaigns_list(args: argparse.Namespace) -> int:
    found = campaign_library(args)
    rows = [(c.id, str(len(c.steps)), c.prospect.name, c.title) for c in found.ordered()]
    header = ("ID", "STEPS", "PROSPECT", "TITLE")
    widths = [max([len(header[i]), *(len(r[i]) for r in rows)]) for i in range(3)]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row)))
    for error in found.broken:
        print(f"\nbroken: {error}", file=sys.stderr)
    return 1 if found.broken else 0


def render_campaign(campaign: Campaign) -> str:
    """A readable page: the prospect, the brief, each step on a line beginning "Step N", the checks."""
    prospect, brief = campaign.prospect, campaign.brief
    lines = [f"{campaign.title}  [{campaign.id} v{campaign.version}, {len(campaign.steps)} steps]", ""]
    lines += [_wrap(campaign.summary), ""]
    lines += [
        "PROSPECT",
        _wrap(f"{prospect.name}, {prospect.role}, {prospect.company} (from {campaign.prospect_from})"),
    ]
    lines += ["", "YOU", _wrap(f"{brief.caller_role}, {brief.company}. {brief.offer}"), ""]
    lines += ["STEPS"]
    for step in campaign.steps:
        targets = step.targets
        lines.append(
            f"Step {step.number}  {step.when}  {step.title}  "
            f"({targets.min_seconds:g}-{targets.max_seconds:g} s, at most {targets.max_words} words)"
        )
        lines.append(_wrap(f"New: {step.new}", "      "))
        own = [c.label for c in step.rubric.criteria if c not in campaign.shared]
        if own:
            lines.append(_wrap(f"Its own criteria: {', '.join(own)}", "      "))
    gaps = ", ".join(i.shown() for i in cadence(campaign))
    lines += ["", "CADENCE", _wrap(f"{gaps} between steps; seed 004: a week to ten days, then five to seven")]
    lines += ["", "EVERY STEP IS ALSO RATED ON"]
    for criterion in campaign.shared:
        hints = f"  [machine check: {', '.join(criterion.hints)}]" if criterion.hints else ""
        lines.append(f"  - {criterion.label} (weight {criterion.weight:g}, {criterion.scale.value}){hints}")
        lines.append(_wrap(criterion.question, "      "))
    return "\n".join(lines)


def cmd_campaigns_show(args: argparse.Namespace) -> int:
    found = campaign_library(args)
    try:
        campaign = found.get(args.id)
    except LookupError as error:
        broken = [e for e in found.broken if Path(e.path).stem == args.id]
        detail = f"\n{broken[0]}" if broken else ""
        raise CommandError(f"{error}{detail}") from None
    print(render_campaign(campaign))
    if args.model:
        for step in campaign.steps:
            print(f"\nSTEP {step.number} MODEL MESSAGE")
            print(_wrap(step.model_message))
    return 0


def cmd_campaigns_validate(args: argparse.Namespace) -> int:
    folders = scenario_folders(args.scenarios)
    targets = [Path(p) for p in args.paths] or folders
    files: list[Path] = []
    for target in targets:
        if target.is_dir():  # a scenario folder (its campaigns/), or a folder of campaigns
            inside = campaign_files(target)
            files += inside or (sorted(p for p in target.glob("*.toml") if p.is_file()) if args.paths else [])
        elif target.exists():
            files.append(target)
        elif args.paths:
            print(f"{target}: no such file or folder", file=sys.stderr)
            return 1
    scenarios = scenario_library(args, say_overrides=False).scenarios
    return report_validation(
        files,
        lambda path: load_campaign(path, scenarios),
        CampaignError,
        lambda c: f"{c.id} v{c.version}, {len(c.steps)} steps, prospect {c.prospect.name}",
    )


def add_commands(sub: Any) -> None:
    campaigns = sub.add_parser("campaigns", help="list, show and validate follow-up campaigns")
    campaigns_sub = campaigns.add_subparsers(dest="campaigns_command", metavar="ACTION", required=True)
    campaigns_sub.add_parser("list", help="the campaigns available").set_defaults(func=cmd_campaigns_list)
    show = campaigns_sub.add_parser("show", help="a campaign's prospect, steps and checks")
    show.add_argument("id")
    show.add_argument("--model", action="store_true", help="also print each step's model message")
    show.set_defaults(func=cmd_campaigns_show)
    validate = campaigns_sub.add_parser("validate", help="check campaign files; exit 1 if any is invalid")
    validate.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders (default: every scenario folder's campaigns/)",
    )
    validate.set_defaults(func=cmd_campaigns_validate)
