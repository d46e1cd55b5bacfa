"""Read scenarios from TOML, validating every field with file, line and key in each message."""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.names import JOINERS, clip, control_characters, describe, has_visible, terminal_safe
from simulator.scenarios import (
    HINT_IDS,
    Brief,
    Criterion,
    Prospect,
    Rubric,
    Scale,
    Scenario,
    ScenarioKind,
    Targets,
    Voice,
)
from simulator.tomlpos import KeyLocator, SourceError, load_toml, read_capped

SCHEMA_VERSION = 1
MAX_FILE_BYTES = 1_000_000
MAX_PROBLEMS = 50  # a file with more is not a scenario with typos; the rest would only scroll past
MAX_ONE_LINE = 200  # characters in a title, name or label
MAX_WEIGHT = 1000  # so that no sum of weights can overflow
MAX_SECONDS = 3600  # a target or limit for one voicemail
_MAX_NUMBER = 1e9
_MAX_INTEGER = 10**9
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_VARIANT = re.compile(r"^[a-z0-9_-]{0,32}$")
_LANGUAGE = re.compile(r"[a-z]{2,3}([-_][A-Za-z0-9]{1,8})*")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a scenario file."""

    path: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{terminal_safe(self.path)}:{self.line}"
        message = terminal_safe(clip(self.message, 300))
        if not self.key:
            return f"{where}: {message}"
        return f"{where}: {terminal_safe(clip(self.key, 80))}: {message}"


class ScenarioError(Exception):
    """A scenario file that cannot be used, with every problem found in it (up to a limit).

    ``more`` counts problems found but not passed in; past :data:`MAX_PROBLEMS` the rest are
    counted in one last problem, at the line of the first one left out."""

    def __init__(self, problems: list[Problem], more: int = 0) -> None:
        more += max(0, len(problems) - MAX_PROBLEMS)
        if more:
            rest = problems[min(len(problems), MAX_PROBLEMS + 1) - 1]
            problems = [
                *problems[:MAX_PROBLEMS],
                Problem(rest.path, rest.line, "", f"... and {more} more problems; fix these first"),
            ]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @property
    def path(self) -> str:
        return self.problems[0].path if self.problems else ""


def _quoted(value: Any, limit: int = 40) -> str:
    """``repr(value)`` for a message, cut short; never fails (a huge integer cannot be shown)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_INTEGER:
        return f"a {value.bit_length()}-bit number"
    try:
        shown = repr(value)
    except (ValueError, RecursionError):
        shown = f"<a {type(value).__name__} too large to show>"
    return clip(shown, limit)


class _Checker:
    """Collects problems while reading nested tables; defaults keep reading going after one."""

    def __init__(self, path: str, locator: KeyLocator) -> None:
        self.path = path
        self.locator = locator
        self._problems: dict[str, str] = {}  # key -> message, in the order found

    def problem(self, key: str, message: str) -> None:
        """Record a problem; only the first for a key, since later ones follow from it."""
        self._problems.setdefault(key, message)

    def forget(self, key: str) -> None:
        self._problems.pop(key, None)

    @property
    def full(self) -> bool:
        """More problems than will be shown: suggesting spellings for the rest is wasted time."""
        return len(self._problems) > MAX_PROBLEMS

    def raise_any(self) -> None:
        """Raise a :class:`ScenarioError` if anything was found."""
        if not self._problems:
            return
        # lines only for the problems that will be shown: finding one is not free for huge keys
        shown = list(self._problems.items())[: MAX_PROBLEMS + 1]
        problems = [Problem(self.path, self.locator.line_of(k), k, m) for k, m in shown]
        raise ScenarioError(problems, more=len(self._problems) - len(shown))


class _Table:
    """Typed access to one TOML table; reports unknown, missing and mistyped keys."""

    def __init__(self, data: dict[str, Any], key: str, checker: _Checker) -> None:
        self.data = data
        self.key = key
        self.checker = checker
        self.read: set[str] = set()

    def _path(self, name: str) -> str:
        return f"{self.key}.{name}" if self.key else name

    def _get(self, name: str, required: bool, kind: str, accept: Callable[[Any], bool]) -> Any:
        self.read.add(name)
        if name not in self.data:
            if required:
                self.checker.problem(self._path(name), f"missing; add {name} = <{kind}>")
            return None
        value = self.data[name]
        if not accept(value):
            shown = type(value).__name__
            self.checker.problem(self._path(name), f"must be {kind}, not {shown} {_quoted(value)}")
            return None
        return value

    def text(self, name: str, required: bool = True, default: str = "", prose: bool = False) -> str:
        """A string; one line unless ``prose`` (which may hold newlines and tabs)."""
        value = self._get(name, required, "a string", lambda v: isinstance(v, str))
        if value is None:
            return default
        if required and not value.strip():
            self.checker.problem(self._path(name), "must not be empty")
        else:
            self.check_text(self._path(name), value, prose)
        return value.strip()

    def check_text(self, key: str, value: str, prose: bool) -> None:
        """Characters that would garble a terminal, or hide what the text says, are refused."""
        controls = control_characters(value, allowed="\n\t" if prose else "")
        if controls:
            what = "control characters" if prose else "control characters or line breaks"
            self.checker.problem(key, f"must not contain {what} ({describe(controls)}); remove them")
            return
        if not prose:
            hidden = [c for c in dict.fromkeys(value) if _invisible_format(c)]
            if hidden:
                self.checker.problem(
                    key, f"must not contain invisible characters ({describe(hidden)}); remove them"
                )
                return
            if len(value) > MAX_ONE_LINE:
                self.checker.problem(
                    key, f"is {len(value):,} characters long; keep it to {MAX_ONE_LINE} at most"
                )
                return
        if value.strip() and not has_visible(value):
            self.checker.problem(key, "has nothing visible in it; type the text or remove the key")

    def integer(self, name: str, default: int, required: bool = True) -> int:
        value = self._get(
            name,
            required,
            "a whole number",
            lambda v: isinstance(v, int) and not isinstance(v, bool),
        )
        if value is not None and abs(value) > _MAX_INTEGER:
            self.checker.problem(self._path(name), f"is {_quoted(value)}; far too large to mean anything")
            return default
        return default if value is None else value

    def number(self, name: str, default: float, required: bool = True, most: float = _MAX_NUMBER) -> float:
        value = self._get(
            name,
            required,
            "a number",
            lambda v: isinstance(v, int | float) and not isinstance(v, bool) and _finite(v),
        )
        if value is not None and abs(value) > most:
            self.checker.problem(self._path(name), f"must be at most {most:g}, not {_quoted(value)}")
            return default
        return default if value is None else float(value)

    def strings(
        self, name: str, required: bool = False, allow_single: bool = False, prose: bool = False
    ) -> list[str]:
        def accept(value: Any) -> bool:
            if allow_single and isinstance(value, str):
                return True
            return isinstance(value, list) and all(isinstance(v, str) for v in value)

        kind = "a string or a list of strings" if allow_single else "a list of strings"
        value = self._get(name, required, kind, accept)
        if value is None:
            return []
        items = [value] if isinstance(value, str) else list(value)
        for index, item in enumerate(items):
            key = self._path(name) if isinstance(value, str) else f"{self._path(name)}[{index}]"
            self.check_text(key, item, prose)
        return items

    def table(self, name: str, required: bool = True) -> _Table:
        value = self._get(name, required, "a table", lambda v: isinstance(v, dict))
        return _Table(value or {}, self._path(name), self.checker)

    def tables(self, name: str) -> list[_Table]:
        value = self._get(
            name,
            True,
            "an array of tables ([[...]])",
            lambda v: isinstance(v, list) and all(isinstance(i, dict) for i in v),
        )
        return [_Table(item, f"{self._path(name)}[{i}]", self.checker) for i, item in enumerate(value or [])]

    def finish(self) -> None:
        """Report keys that were never read, suggesting the nearest known one."""
        # worked out once, not per unknown key: a file with thousands of them must stay quick
        missing = sorted(self.read - self.data.keys())
        known = sorted(self.read)
        listed = f"; known keys: {', '.join(known)}"
        for name in self.data:
            if name in self.read:
                continue
            if self.checker.full:
                self.checker.problem(self._path(name), "unknown key")
                continue
            close = _close(name, missing)
            if close:  # a misspelt key: say so once, rather than also "missing"
                self.checker.forget(self._path(close))
            else:
                close = _close(name, known)
            advice = f"; did you mean {close!r}?" if close else listed
            self.checker.problem(self._path(name), f"unknown key{advice}")


def _close(name: str, candidates: list[str]) -> str | None:
    if not candidates or len(name) > 64:  # no key is that long; comparing would only take time
        return None
    found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return found[0] if found else None


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large to be a float
        return False


def _invisible_format(char: str) -> bool:
    """Zero-width spaces, soft hyphens, byte-order marks and the like: fine in prose, but in a name
    or title they make two texts that look the same differ."""
    return char not in JOINERS and unicodedata.category(char) == "Cf"


def _choice(table: _Table, name: str, choices: Iterable[str], default: str, required: bool = True) -> str:
    value = table.text(name, required=required, default=default)
    options = list(choices)
    if value not in options:
        if name in table.data and isinstance(table.data[name], str):
            table.checker.problem(
                table._path(name), f"must be one of {', '.join(options)}; got {_quoted(value)}"
            )
        return default
    return value


def _slug(table: _Table, name: str) -> str:
    value = table.text(name)
    if value and not _SLUG.match(value):
        table.checker.problem(
            table._path(name),
            "must be lower-case letters, digits and hyphens (at most 64), e.g. 'cold-call'",
        )
    return value


def _positive(table: _Table, name: str, value: float) -> None:
    if name in table.data and value <= 0:
        table.checker.problem(table._path(name), f"must be a positive number, not {value:g}")


def _language(table: _Table) -> str:
    """A language tag such as ``en-gb``: it picks the synthesiser's voice, so nothing else will do."""
    value = table.text("language", required=False, default="en-gb")
    if "language" in table.data and not (len(value) <= 35 and _LANGUAGE.fullmatch(value)):
        table.checker.problem(
            table._path("language"),
            f"must be a language tag such as 'en-gb' or 'en-us', not {_quoted(value)}",
        )
        return "en-gb"
    return value


def _read_voice(table: _Table) -> Voice:
    voice = Voice(
        gender=_choice(table, "gender", ("female", "male"), "female"),
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


def _read_prospect(table: _Table) -> Prospect:
    prospect = Prospect(
        name=table.text("name"),
        role=table.text("role"),
        company=table.text("company"),
        greeting=table.text("greeting", prose=True),
        voice=_read_voice(table.table("voice", required=False)),
    )
    table.finish()
    return prospect


def _read_brief(table: _Table) -> Brief:
    brief = Brief(
        caller_role=table.text("caller_role"),
        company=table.text("company"),
        offer=table.text("offer", prose=True),
        situation=table.text("situation", prose=True),
        history=table.text("history", required=False, prose=True),
        goal=table.text("goal", prose=True),
        callback_number=table.text("callback_number", required=False),
        email=table.text("email", required=False),
    )
    table.finish()
    return brief


def _read_targets(table: _Table) -> Targets:
    targets = Targets(
        min_seconds=table.number("min_seconds", 0.0, most=MAX_SECONDS),
        max_seconds=table.number("max_seconds", 0.0, most=MAX_SECONDS),
        hard_max_seconds=table.number("hard_max_seconds", 0.0, most=MAX_SECONDS),
        max_words=table.integer("max_words", 0),
    )
    for name in ("min_seconds", "max_seconds", "hard_max_seconds", "max_words"):
        _positive(table, name, getattr(targets, name))
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


def _read_criterion(table: _Table) -> Criterion:
    scale = Scale(_choice(table, "scale", [s.value for s in Scale], Scale.YES_NO.value, required=False))
    weight = table.number("weight", 1.0, required=False, most=MAX_WEIGHT)
    _positive(table, "weight", weight)
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
        if hint not in HINT_IDS:
            close = _close(hint, list(HINT_IDS))
            advice = f"did you mean {close!r}?" if close else f"known hints: {', '.join(HINT_IDS)}"
            table.checker.problem(table._path("hint"), f"unknown hint {_quoted(hint)}; {advice}")
    criterion = Criterion(
        id=_slug(table, "id"),
        label=table.text("label"),
        question=table.text("question", prose=True),
        guidance=table.text("guidance", prose=True),
        weight=weight,
        scale=scale,
        anchors=tuple(anchors),
        hints=tuple(h for h in hints if h in HINT_IDS),
        sources=tuple(table.strings("sources")),
    )
    table.finish()
    return criterion


def _read_rubric(table: _Table) -> Rubric:
    items = table.tables("criteria")
    criteria = [_read_criterion(item) for item in items]
    if "criteria" in table.data and not criteria:
        table.checker.problem(
            table._path("criteria"), "the rubric is empty; add at least one [[rubric.criteria]]"
        )
    seen: dict[str, int] = {}
    for index, criterion in enumerate(criteria):
        if criterion.id in seen:
            table.checker.problem(
                f"{table._path('criteria')}[{index}].id",
                f"duplicate criterion id {_quoted(criterion.id)} "
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
    checker = _Checker(path, KeyLocator(text))
    root = _Table(data, "", checker)
    schema = root.integer("schema", SCHEMA_VERSION, required=False)
    if schema != SCHEMA_VERSION:
        checker.problem("schema", f"this program reads schema {SCHEMA_VERSION}, not {schema}")
    kind = _choice(root, "kind", [k.value for k in ScenarioKind], ScenarioKind.CUSTOM.value)
    scenario = Scenario(
        id=_slug(root, "id"),
        version=root.integer("version", 1),
        title=root.text("title"),
        kind=ScenarioKind(kind),
        brief=_read_brief(root.table("brief")),
        prospect=_read_prospect(root.table("prospect")),
        targets=_read_targets(root.table("targets")),
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
