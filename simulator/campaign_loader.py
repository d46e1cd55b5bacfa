"""Read campaigns from TOML, validated as scenarios are: file, line and key in every message.

Campaigns live in a ``campaigns`` folder inside each scenario folder (the shipped
``scenarios/campaigns/``, and the same under the user's and an instructor's scenario folders). A
campaign takes its prospect from a scenario of the library (``prospect = "acme-inventory"``), so
the greeting, the voice and the line are the ones trainees already know.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from simulator.campaigns import MAX_STEPS, MIN_STEPS, Campaign, Step
from simulator.scenario_loader import MAX_FILE_BYTES, SCHEMA_VERSION, Library, read_criterion, read_targets
from simulator.scenarios import (
    CAMPAIGN_HINT_IDS,
    HINT_IDS,
    Brief,
    Criterion,
    Prospect,
    Rubric,
    Scenario,
    Targets,
)
from simulator.toml_checks import Checker, FileProblemsError, Problem, Table, close_match, quoted, slug
from simulator.tomlpos import KeyLocator, SourceError, load_toml, read_capped

CAMPAIGNS_FOLDER = "campaigns"
CRITERION_HINTS = HINT_IDS + CAMPAIGN_HINT_IDS
_PROSE = frozenset({"offer", "situation", "history", "goal"})


class CampaignError(FileProblemsError):
    """A campaign file that cannot be used, with every problem found in it (up to a limit)."""


def _brief_over(table: Table, base: Brief) -> Brief:
    """The prospect scenario's brief, with any of its keys given here in its place."""
    values = {
        f.name: table.text(f.name, required=False, default=getattr(base, f.name), prose=f.name in _PROSE)
        for f in dataclasses.fields(Brief)
    }
    table.finish()
    return Brief(**values)


def _criteria(table: Table, name: str) -> list[Criterion]:
    """``[[name]]`` criteria (none if absent); an id used twice among them is a problem."""
    if name not in table.data:
        return []
    criteria = [read_criterion(item, CRITERION_HINTS) for item in table.tables(name)]
    first: dict[str, int] = {}
    for index, criterion in enumerate(criteria):
        if criterion.id in first:
            earlier = f"{name}[{first[criterion.id]}]"
            table.checker.problem(
                f"{table._path(name)}[{index}].id",
                f"duplicate criterion id {quoted(criterion.id)} (first used by {earlier})",
            )
        first.setdefault(criterion.id, index)
    return criteria


def _moment(table: Table) -> datetime | None:
    value = table._get(
        "at",
        True,
        "a local date and time such as 2027-01-11T10:35:00",
        lambda v: isinstance(v, datetime) and v.tzinfo is None,
    )
    return value


def _step(
    table: Table, number: int, targets: Targets, shared: list[Criterion]
) -> tuple[Step, datetime | None]:
    at = _moment(table)
    own = _criteria(table, "criteria")
    shared_ids = {c.id for c in shared}
    for index, criterion in enumerate(own):
        if criterion.id in shared_ids:
            table.checker.problem(
                f"{table._path('criteria')}[{index}].id",
                f"criterion id {quoted(criterion.id)} is also a shared criterion of the campaign; rename one",
            )
    step = Step(
        number=number,
        at=at or datetime(2000, 1, 1),
        title=table.text("title"),
        new=table.text("new", prose=True),
        model_message=table.text("model_message", prose=True),
        targets=read_targets(table.table("targets")) if "targets" in table.data else targets,
        rubric=Rubric(tuple(own + shared)),
    )
    if not step.rubric.criteria:
        table.checker.problem(
            table._path("criteria"), "no criteria: add [[step.criteria]] or shared [[criteria]]"
        )
    table.finish()
    return step, at


def _steps(root: Table, targets: Targets, shared: list[Criterion]) -> tuple[Step, ...]:
    tables = root.tables("step")
    if "step" in root.data and not MIN_STEPS <= len(tables) <= MAX_STEPS:
        root.checker.problem(
            "step", f"has {len(tables)} steps; a campaign has {MIN_STEPS} to {MAX_STEPS} [[step]] tables"
        )
    steps: list[Step] = []
    previous: datetime | None = None
    for number, table in enumerate(tables, start=1):
        step, at = _step(table, number, targets, shared)
        if at is not None and previous is not None and at <= previous:
            table.checker.problem(
                table._path("at"),
                f"step {number} ({at:%a %d %b %Y %H:%M}) is not after step {number - 1} "
                f"({previous:%a %d %b %Y %H:%M}); steps go in date order",
            )
        previous = at or previous
        steps.append(step)
    return tuple(steps)


def parse_campaign(text: str, scenarios: Mapping[str, Scenario], path: str = "<campaign>") -> Campaign:
    """Parse and validate one campaign; raise :class:`CampaignError` listing every problem."""
    try:
        data = load_toml(text)
    except SourceError as error:
        raise CampaignError([Problem(path, error.line, "", error.message)]) from None
    checker = Checker(path, KeyLocator(text), CampaignError)
    root = Table(data, "", checker)
    schema = root.integer("schema", SCHEMA_VERSION, required=False)
    if schema != SCHEMA_VERSION:
        checker.problem("schema", f"this program reads schema {SCHEMA_VERSION}, not {schema}")
    prospect_from = root.text("prospect")
    base = scenarios.get(prospect_from)
    if base is None and prospect_from:
        close = close_match(prospect_from, sorted(scenarios))
        known = f"did you mean {close!r}?" if close else f"known: {', '.join(sorted(scenarios)) or 'none'}"
        checker.problem("prospect", f"no scenario {quoted(prospect_from)} to take the prospect from; {known}")
    fallback = next(iter(scenarios.values()), None) if base is None else base
    brief_base = fallback.brief if fallback else Brief("", "", "", "", "", "")
    brief = _brief_over(root.table("brief", required=False), brief_base)
    targets = (
        read_targets(root.table("targets")) if "targets" in data or fallback is None else fallback.targets
    )
    shared = _criteria(root, "criteria")
    campaign = Campaign(
        id=slug(root, "id"),
        version=root.integer("version", 1),
        title=root.text("title"),
        prospect_from=prospect_from,
        prospect=fallback.prospect if fallback else Prospect("", "", "", ""),
        brief=brief,
        summary=root.text("summary", prose=True),
        steps=_steps(root, targets, shared),
        shared=tuple(shared),
        source_path=path,
    )
    if "version" in data and campaign.version < 1:
        checker.problem("version", "must be 1 or more; raise it whenever a rubric changes")
    root.finish()
    checker.raise_any()
    return campaign


def load_campaign(path: Path, scenarios: Mapping[str, Scenario]) -> Campaign:
    try:
        text = read_capped(path, MAX_FILE_BYTES, "the campaign file")
    except SourceError as error:
        raise CampaignError([Problem(str(path), error.line, "", error.message)]) from None
    return parse_campaign(text, scenarios, str(path))


@dataclass
class Campaigns:
    """Every campaign found beside a list of scenario folders, later folders overriding earlier ones."""

    campaigns: dict[str, Campaign] = field(default_factory=dict)
    broken: list[CampaignError] = field(default_factory=list)
    overrides: list[str] = field(default_factory=list)

    def get(self, campaign_id: str) -> Campaign:
        try:
            return self.campaigns[campaign_id]
        except KeyError:
            known = ", ".join(sorted(self.campaigns)) or "none"
            raise LookupError(f"no campaign {campaign_id!r}; known campaigns: {known}") from None

    def ordered(self) -> list[Campaign]:
        return sorted(self.campaigns.values(), key=lambda c: c.title)


def campaign_files(scenario_folder: Path) -> list[Path]:
    folder = scenario_folder / CAMPAIGNS_FOLDER
    return sorted(p for p in folder.glob("*.toml") if p.is_file()) if folder.is_dir() else []


def load_campaigns(scenario_folders: Iterable[Path], scenarios: Mapping[str, Scenario]) -> Campaigns:
    """Load every campaign; broken files are listed, never fatal."""
    found = Campaigns()
    for folder in scenario_folders:
        for path in campaign_files(folder):
            try:
                campaign = load_campaign(path, scenarios)
            except CampaignError as error:
                found.broken.append(error)
                continue
            previous = found.campaigns.get(campaign.id)
            if previous is not None:
                found.overrides.append(
                    f"campaign {campaign.id!r} from {path} overrides the one in {previous.source_path}"
                )
            found.campaigns[campaign.id] = campaign
    return found


def with_steps(library: Library, campaigns: Campaigns) -> Library:
    """``library`` with every campaign's steps as scenarios too (``"friday-monday.2"``), for what
    reads a take's rubric by its scenario id: exports, reports, a drill's reveal and calibration."""
    steps = {
        campaign.step_id(step.number): campaign.step_scenario(step.number)
        for campaign in campaigns.campaigns.values()
        for step in campaign.steps
    }
    return dataclasses.replace(library, scenarios={**library.scenarios, **steps})
