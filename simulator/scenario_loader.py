"""Read scenarios from TOML, validating every field with file, line and key in each message."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.scenarios import (
    CAMPAIGN_HINT_IDS,
    HINT_IDS,
    WEEKDAYS,
    Brief,
    Criterion,
    PhoneLine,
    Prospect,
    Rubric,
    Scale,
    Scenario,
    ScenarioKind,
    Targets,
    Voice,
)
from simulator.toml_checks import (
    Checker,
    FileProblemsError,
    Problem,
    Table,
    choice,
    close_match,
    positive,
    quoted,
    slug,
)
from simulator.tomlpos import KeyLocator, SourceError, load_toml, read_capped

SCHEMA_VERSION = 1
MAX_FILE_BYTES = 1_000_000
MAX_WEIGHT = 1000  # so that no sum of weights can overflow
MAX_SECONDS = 3600  # a target or limit for one voicemail
_VARIANT = re.compile(r"^[a-z0-9_-]{0,32}$")
_LANGUAGE = re.compile(r"[a-z]{2,3}([-_][A-Za-z0-9]{1,8})*")


class ScenarioError(FileProblemsError):
    """A scenario file that cannot be used, with every problem found in it (up to a limit)."""


def _language(table: Table) -> str:
    """A language tag such as ``en-gb``: it picks the synthesiser's voice, so nothing else will do."""
    value = table.text("language", required=False, default="en-gb")
    if "language" in table.data and not (len(value) <= 35 and _LANGUAGE.fullmatch(value)):
        table.checker.problem(
            table._path("language"),
            f"must be a language tag such as 'en-gb' or 'en-us', not {quoted(value)}",
        )
        return "en-gb"
    return value


def _read_voice(table: Table) -> Voice:
    voice = Voice(
        gender=choice(table, "gender", ("female", "male"), "female"),
        language=_language(table),
        rate=table.integer("rate", 165, required=False),
        variant=table.text("variant", required=False),
    )
    if not 80 <= voice.rate <= 400:
        table.checker.problem(
            table._path("rate"), f"must be between 80 and 400 words per minute, not {voice.rate}"
        )
    if not _VARIANT.match(voice.variant):
        table.checker.problem(
            table._path("variant"), "must be an espeak-ng variant name such as 'f2' or 'm3'"
        )
    table.finish()
    return voice


def _read_prospect(table: Table) -> Prospect:
    prospect = Prospect(
        name=table.text("name"),
        role=table.text("role"),
        company=table.text("company"),
        greeting=table.text("greeting", prose=True),
        voice=_read_voice(table.table("voice", required=False)),
        line=_line(table),
    )
    table.finish()
    return prospect


def _line(table: Table) -> PhoneLine | None:
    """``line = "landline" | "mobile" | "none"``; absent: the app's setting decides."""
    if "line" not in table.data:
        return None
    return PhoneLine(choice(table, "line", [line.value for line in PhoneLine], PhoneLine.NONE.value))


def read_brief(table: Table) -> Brief:
    brief = Brief(
        caller_role=table.text("caller_role"),
        company=table.text("company"),
        offer=table.text("offer", prose=True),
        situation=table.text("situation", prose=True),
        history=table.text("history", required=False, prose=True),
        goal=table.text("goal", prose=True),
        callback_number=table.text("callback_number", required=False),
        email=table.text("email", required=False),
        caller=table.text("caller", required=False),
        meeting_day=choice(table, "meeting_day", ["", *WEEKDAYS], "", required=False),
    )
    table.finish()
    return brief


def read_targets(table: Table) -> Targets:
    targets = Targets(
        min_seconds=table.number("min_seconds", 0.0, most=MAX_SECONDS),
        max_seconds=table.number("max_seconds", 0.0, most=MAX_SECONDS),
        hard_max_seconds=table.number("hard_max_seconds", 0.0, most=MAX_SECONDS),
        max_words=table.integer("max_words", 0),
    )
    for name in ("min_seconds", "max_seconds", "hard_max_seconds", "max_words"):
        positive(table, name, getattr(targets, name))
    if targets.min_seconds > targets.max_seconds > 0:
        table.checker.problem(
            table._path("min_seconds"),
            f"the target window starts ({targets.min_seconds:g} s) after it ends "
            f"(max_seconds = {targets.max_seconds:g} s); min_seconds must not exceed max_seconds",
        )
    if targets.max_seconds > targets.hard_max_seconds > 0:
        table.checker.problem(
            table._path("hard_max_seconds"),
            f"must be at least max_seconds ({targets.max_seconds:g} s), so a take can run over the window",
        )
    table.finish()
    return targets


def read_criterion(table: Table, hint_ids: tuple[str, ...] = HINT_IDS) -> Criterion:
    scale = Scale(choice(table, "scale", [s.value for s in Scale], Scale.YES_NO.value, required=False))
    weight = table.number("weight", 1.0, required=False, most=MAX_WEIGHT)
    positive(table, "weight", weight)
    anchors = table.strings("anchors", prose=True)
    if anchors and len(anchors) != len(scale.levels):
        table.checker.problem(
            table._path("anchors"),
            f"needs one description per level of the {scale.value} scale ({len(scale.levels)}), "
            f"lowest first; got {len(anchors)}",
        )
    if not anchors and scale is Scale.ZERO_TO_TWO and "anchors" not in table.data:
        table.checker.problem(
            table._path("anchors"),
            "missing; a 0-2 scale needs three anchors: what 0, 1 and 2 look like",
        )
    hints = table.strings("hint", allow_single=True)
    for hint in hints:
        if hint in CAMPAIGN_HINT_IDS and hint not in hint_ids:
            table.checker.problem(table._path("hint"), f"{quoted(hint)} checks a campaign's step; "
                                  "only criteria in a campaign file can use it")  # fmt: skip
        elif hint not in hint_ids:
            close = close_match(hint, list(hint_ids))
            advice = f"did you mean {close!r}?" if close else f"known hints: {', '.join(hint_ids)}"
            table.checker.problem(table._path("hint"), f"unknown hint {quoted(hint)}; {advice}")
    criterion = Criterion(
        id=slug(table, "id"),
        label=table.text("label"),
        question=table.text("question", prose=True),
        guidance=table.text("guidance", prose=True),
        weight=weight,
        scale=scale,
        anchors=tuple(anchors),
        hints=tuple(h for h in hints if h in hint_ids),
        sources=tuple(table.strings("sources")),
    )
    table.finish()
    return criterion


def _read_rubric(table: Table) -> Rubric:
    items = table.tables("criteria")
    criteria = [read_criterion(item) for item in items]
    if "criteria" in table.data and not criteria:
        table.checker.problem(
            table._path("criteria"), "the rubric is empty; add at least one [[rubric.criteria]]"
        )
    seen: dict[str, int] = {}
    for index, criterion in enumerate(criteria):
        if criterion.id in seen:
            table.checker.problem(
                f"{table._path('criteria')}[{index}].id",
                f"duplicate criterion id {quoted(criterion.id)} "
                f"(first used by criteria[{seen[criterion.id]}])",
            )
        seen.setdefault(criterion.id, index)
    table.finish()
    return Rubric(tuple(criteria))


def parse_scenario(text: str, path: str = "<scenario>") -> Scenario:
    """Parse and validate one scenario document; raise :class:`ScenarioError` listing every problem."""
    try:
        data = load_toml(text)
    except SourceError as error:
        raise ScenarioError([Problem(path, error.line, "", error.message)]) from None
    checker = Checker(path, KeyLocator(text), ScenarioError)
    root = Table(data, "", checker)
    schema = root.integer("schema", SCHEMA_VERSION, required=False)
    if schema != SCHEMA_VERSION:
        checker.problem("schema", f"this program reads schema {SCHEMA_VERSION}, not {schema}")
    kind = choice(root, "kind", [k.value for k in ScenarioKind], ScenarioKind.CUSTOM.value)
    scenario = Scenario(
        id=slug(root, "id"),
        version=root.integer("version", 1),
        title=root.text("title"),
        kind=ScenarioKind(kind),
        brief=read_brief(root.table("brief")),
        prospect=_read_prospect(root.table("prospect")),
        targets=read_targets(root.table("targets")),
        rubric=_read_rubric(root.table("rubric")),
        model_message=root.text("model_message", prose=True),
        source_path=path,
    )
    if "version" in data and scenario.version < 1:
        checker.problem("version", "must be 1 or more; raise it whenever the rubric changes")
    root.finish()
    checker.raise_any()
    return scenario


def load_scenario(path: Path) -> Scenario:
    """Read one scenario file."""
    try:
        text = read_capped(path, MAX_FILE_BYTES, "the scenario file")
    except SourceError as error:
        raise ScenarioError([Problem(str(path), error.line, "", error.message)]) from None
    return parse_scenario(text, str(path))


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The TOML document for ``scenario`` (the inverse of :func:`parse_scenario`)."""
    voice = scenario.prospect.voice
    return {
        "schema": SCHEMA_VERSION,
        "id": scenario.id,
        "version": scenario.version,
        "title": scenario.title,
        "kind": scenario.kind.value,
        "model_message": scenario.model_message,
        "brief": {
            "caller_role": scenario.brief.caller_role,
            "company": scenario.brief.company,
            "offer": scenario.brief.offer,
            "situation": scenario.brief.situation,
            "history": scenario.brief.history,
            "goal": scenario.brief.goal,
            "callback_number": scenario.brief.callback_number,
            "email": scenario.brief.email,
            **({"caller": scenario.brief.caller} if scenario.brief.caller else {}),
            **({"meeting_day": scenario.brief.meeting_day} if scenario.brief.meeting_day else {}),
        },
        "prospect": {
            "name": scenario.prospect.name,
            "role": scenario.prospect.role,
            "company": scenario.prospect.company,
            "greeting": scenario.prospect.greeting,
            "voice": {
                "gender": voice.gender,
                "language": voice.language,
                "rate": voice.rate,
                "variant": voice.variant,
            },
            **({"line": scenario.prospect.line.value} if scenario.prospect.line else {}),
        },
        "targets": {
            "min_seconds": scenario.targets.min_seconds,
            "max_seconds": scenario.targets.max_seconds,
            "hard_max_seconds": scenario.targets.hard_max_seconds,
            "max_words": scenario.targets.max_words,
        },
        "rubric": {
            "criteria": [
                {
                    "id": c.id,
                    "label": c.label,
                    "question": c.question,
                    "guidance": c.guidance,
                    "weight": c.weight,
                    "scale": c.scale.value,
                    "anchors": list(c.anchors),
                    "hint": list(c.hints),
                    "sources": list(c.sources),
                }
                for c in scenario.rubric.criteria
            ]
        },
    }


@dataclass
class Library:
    """Every scenario found in a list of folders, later folders overriding earlier ones."""

    scenarios: dict[str, Scenario] = field(default_factory=dict)
    broken: list[ScenarioError] = field(default_factory=list)
    overrides: list[str] = field(default_factory=list)

    def get(self, scenario_id: str) -> Scenario:
        try:
            return self.scenarios[scenario_id]
        except KeyError:
            known = ", ".join(sorted(self.scenarios)) or "none"
            raise LookupError(f"no scenario {scenario_id!r}; known scenarios: {known}") from None

    def ordered(self) -> list[Scenario]:
        order = {kind: i for i, kind in enumerate(ScenarioKind)}
        # within a kind, the scenario named after the kind (the canonical one) comes first
        return sorted(self.scenarios.values(), key=lambda s: (order[s.kind], s.id != s.kind.value, s.title))


def scenario_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def load_library(folders: Iterable[Path]) -> Library:
    """Load every ``*.toml`` in ``folders``; broken files are listed, never fatal."""
    library = Library()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in scenario_files(folder):
            try:
                scenario = load_scenario(path)
            except ScenarioError as error:
                library.broken.append(error)
                continue
            previous = library.scenarios.get(scenario.id)
            if previous is not None:
                library.overrides.append(
                    f"scenario {scenario.id!r} from {path} overrides the one in {previous.source_path}"
                )
            library.scenarios[scenario.id] = scenario
    return library
