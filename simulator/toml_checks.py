"""Reading TOML written by people: typed access to its tables, and every problem found reported
with file, line and key, capped so that a broken file can neither flood the screen nor take long.

Scenario files use it (:mod:`simulator.scenario_loader`); so can any other kind of file an
instructor writes.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from simulator.names import JOINERS, clip, control_characters, describe, has_visible, terminal_safe
from simulator.tomlpos import KeyLocator

MAX_PROBLEMS = 50  # a file with more is not a scenario with typos; the rest would only scroll past
MAX_ONE_LINE = 200  # characters in a title, name or label
MAX_NUMBER = 1e9
MAX_INTEGER = 10**9
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


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


class FileProblemsError(Exception):
    """A file that cannot be used, with every problem found in it (up to a limit).

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


def quoted(value: Any, limit: int = 40) -> str:
    """``repr(value)`` for a message, cut short; never fails (a huge integer cannot be shown)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
        return f"a {value.bit_length()}-bit number"
    try:
        shown = repr(value)
    except (ValueError, RecursionError):
        shown = f"<a {type(value).__name__} too large to show>"
    return clip(shown, limit)


class Checker:
    """Collects problems while reading nested tables; defaults keep reading going after one."""

    def __init__(
        self, path: str, locator: KeyLocator, error: type[FileProblemsError] = FileProblemsError
    ) -> None:
        self.path = path
        self.locator = locator
        self.error = error  # what a file of this kind raises (a scenario file: ScenarioError)
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
        """Raise :attr:`error` (a :class:`FileProblemsError`) if anything was found."""
        if not self._problems:
            return
        # lines only for the problems that will be shown: finding one is not free for huge keys
        shown = list(self._problems.items())[: MAX_PROBLEMS + 1]
        problems = [Problem(self.path, self.locator.line_of(k), k, m) for k, m in shown]
        raise self.error(problems, more=len(self._problems) - len(shown))


class Table:
    """Typed access to one TOML table; reports unknown, missing and mistyped keys."""

    def __init__(self, data: dict[str, Any], key: str, checker: Checker) -> None:
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
            self.checker.problem(self._path(name), f"must be {kind}, not {shown} {quoted(value)}")
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
            hidden = [c for c in dict.fromkeys(value) if invisible_format(c)]
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
        if value is not None and abs(value) > MAX_INTEGER:
            self.checker.problem(self._path(name), f"is {quoted(value)}; far too large to mean anything")
            return default
        return default if value is None else value

    def number(self, name: str, default: float, required: bool = True, most: float = MAX_NUMBER) -> float:
        value = self._get(
            name,
            required,
            "a number",
            lambda v: isinstance(v, int | float) and not isinstance(v, bool) and finite(v),
        )
        if value is not None and abs(value) > most:
            self.checker.problem(self._path(name), f"must be at most {most:g}, not {quoted(value)}")
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

    def table(self, name: str, required: bool = True) -> Table:
        value = self._get(name, required, "a table", lambda v: isinstance(v, dict))
        return Table(value or {}, self._path(name), self.checker)

    def tables(self, name: str) -> list[Table]:
        value = self._get(
            name,
            True,
            "an array of tables ([[...]])",
            lambda v: isinstance(v, list) and all(isinstance(i, dict) for i in v),
        )
        return [Table(item, f"{self._path(name)}[{i}]", self.checker) for i, item in enumerate(value or [])]

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
            close = close_match(name, missing)
            if close:  # a misspelt key: say so once, rather than also "missing"
                self.checker.forget(self._path(close))
            else:
                close = close_match(name, known)
            advice = f"; did you mean {close!r}?" if close else listed
            self.checker.problem(self._path(name), f"unknown key{advice}")


def close_match(name: str, candidates: list[str]) -> str | None:
    if not candidates or len(name) > 64:  # no key is that long; comparing would only take time
        return None
    found = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return found[0] if found else None


def finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large to be a float
        return False


def invisible_format(char: str) -> bool:
    """Zero-width spaces, soft hyphens, byte-order marks and the like: fine in prose, but in a name
    or title they make two texts that look the same differ."""
    return char not in JOINERS and unicodedata.category(char) == "Cf"


def choice(table: Table, name: str, choices: Iterable[str], default: str, required: bool = True) -> str:
    value = table.text(name, required=required, default=default)
    options = list(choices)
    if value not in options:
        if name in table.data and isinstance(table.data[name], str):
            table.checker.problem(
                table._path(name), f"must be one of {', '.join(options)}; got {quoted(value)}"
            )
        return default
    return value


def slug(table: Table, name: str) -> str:
    value = table.text(name)
    if value and not SLUG.match(value):
        table.checker.problem(
            table._path(name),
            "must be lower-case letters, digits and hyphens (at most 64), e.g. 'cold-call'",
        )
    return value


def positive(table: Table, name: str, value: float) -> None:
    if name in table.data and value <= 0:
        table.checker.problem(table._path(name), f"must be a positive number, not {value:g}")
