"""Instructor-led drills: a roster taking turns over scenarios and rounds, saved after every step.

Pure data and rules; the takes and assessments themselves are ordinary attempt records (with the
drill's id), so exports and reports see them like any practice.
"""

from __future__ import annotations

import csv
import io
import random
import tomllib
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import tomli_w

from simulator.fileio import atomic_write_text
from simulator.names import clip, control_characters, describe, normalise_name, safe_name, terminal_safe
from simulator.tomlpos import KeyLocator, SourceError, lines_of, load_toml, read_capped

DRILL_SCHEMA = 1


MAX_ROSTER_BYTES = 1_000_000
MAX_NAME = 100  # characters in a trainee's name


class RosterError(Exception):
    """A roster file that cannot be used; names the file and line."""

    def __init__(self, path: Path | str, line: int, message: str) -> None:
        super().__init__(f"{terminal_safe(str(path))}:{line}: {terminal_safe(clip(message, 200))}")
        self.path, self.line = str(path), line


def _clean_names(names: list[tuple[int, str]], path: Path | str) -> list[str]:
    """Names in one spelling (see :func:`normalise_name`), refusing controls, blanks and repeats."""
    roster: list[str] = []
    seen: dict[str, int] = {}
    for line, raw in names:
        controls = control_characters(raw, allowed="\t\n")  # spacing in a cell is just spacing
        if controls:
            raise RosterError(
                path,
                line,
                f"the name holds a character that cannot be shown ({describe(controls)}: a key pressed "
                "with Ctrl, or pasted); retype the name",
            )
        name = normalise_name(raw)
        if not name:
            raise RosterError(path, line, "empty name; remove the line or type the trainee's name")
        if len(name) > MAX_NAME:
            raise RosterError(
                path, line, f"the name is too long ({len(name):,} characters; at most {MAX_NAME})"
            )
        key = name.casefold()
        if key in seen:
            raise RosterError(path, line, f"{name!r} is already on the roster (line {seen[key]})")
        seen[key] = line
        roster.append(name)
    if len(roster) < 1:
        raise RosterError(path, 1, "the roster has no names")
    return roster


def parse_roster_text(text: str, path: Path | str = "<roster>") -> list[str]:
    """One name per line (blank lines ignored), as typed into the drill set-up."""
    lines = [(n, line) for n, line in enumerate(lines_of(text), start=1) if line.strip()]
    return _clean_names(lines, path)


def load_roster(path: Path) -> list[str]:
    """A CSV with a ``name`` column, or TOML with ``trainees = [...]`` or ``[[trainee]] name = ...``."""
    try:
        text = read_capped(path, MAX_ROSTER_BYTES, "the roster", encoding="utf-8-sig")
    except SourceError as error:
        raise RosterError(path, error.line, error.message) from None
    if path.suffix.lower() == ".toml":
        return _roster_from_toml(text, path)
    return _roster_from_csv(_csv_rows(text, path), path)


def _csv_rows(text: str, path: Path) -> Iterator[tuple[int, list[str]]]:
    """The CSV's rows, each with the line it starts on. Strict: a quote never closed (it would
    swallow every name after it into one) or text after a closing quote is an error at the line
    the row starts on."""
    reader = csv.reader(io.StringIO(text), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # csv reports a cell over its limit (131,072 characters) this way, among other faults
            problem = str(error)
            limit = csv.field_size_limit()
            message = (
                f"a cell is too long (over {limit:,} characters); a name has at most {MAX_NAME}"
                if "field larger" in problem
                else "a quote (\") is opened and never closed" if "unexpected end of data" in problem
                else f"cannot read this row as CSV: {problem}"
            )  # fmt: skip
            raise RosterError(path, start, message) from None
        yield start, row


def _roster_from_csv(rows: Iterator[tuple[int, list[str]]], path: Path) -> list[str]:
    _, header_row = next(rows, (1, None))
    if header_row is None:
        raise RosterError(
            path, 1, "the roster is empty; the first line should be a header with a name column"
        )
    header = [cell.strip().casefold() for cell in header_row]
    if "name" not in header:
        shown = ", ".join(header_row) or "empty"
        raise RosterError(path, 1, f"no 'name' column in the header ({shown})")
    column = header.index("name")
    names: list[tuple[int, str]] = []
    for number, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if column >= len(row):
            raise RosterError(path, number, f"this row has no 'name' value (it has {len(row)} columns)")
        names.append((number, row[column]))
    return _clean_names(names, path)


def _roster_from_toml(text: str, path: Path) -> list[str]:
    try:
        data = load_toml(text)
    except SourceError as error:
        raise RosterError(path, error.line, error.message) from None
    locator = KeyLocator(text)
    if "trainees" in data:
        items = data["trainees"]
        if not isinstance(items, list):
            raise RosterError(path, locator.line_of("trainees"), "trainees must be a list of names (strings)")
        for index, item in enumerate(items):
            if not isinstance(item, str):
                line = locator.line_of(f"trainees[{index}]")
                raise RosterError(path, line, "trainees must be a list of names (strings)")
        return _clean_names([(locator.line_of(f"trainees[{i}]"), n) for i, n in enumerate(items)], path)
    if isinstance(data.get("trainee"), list):
        names = []
        for index, item in enumerate(data["trainee"]):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                line = locator.line_of(f"trainee[{index}].name")
                raise RosterError(path, line, f'trainee[{index}] needs name = "..."')
            names.append((locator.line_of(f"trainee[{index}].name"), item["name"]))
        return _clean_names(names, path)
    raise RosterError(path, 1, 'expected trainees = ["Name", ...] or [[trainee]] tables with name = "..."')


class TurnStatus(StrEnum):
    WAITING = "waiting"
    RECORDED = "recorded"
    SKIPPED = "skipped"


DEFAULT_PREP_S = 30  # a trainee's half minute to read the brief and jot the three-part intro


@dataclass
class Turn:
    trainee: str
    scenario_id: str
    round: int  # 1-based
    status: TurnStatus = TurnStatus.WAITING
    attempt_ids: list[str] = field(default_factory=list)  # the first take, then any re-takes
    revealed: bool = False

    @property
    def attempt_id(self) -> str | None:
        """The take that counts: the latest one (earlier takes are kept)."""
        return self.attempt_ids[-1] if self.attempt_ids else None


@dataclass
class Drill:
    id: str
    created_at: datetime
    roster: list[str]
    scenario_ids: list[str]
    rounds: int
    shuffle: bool = False
    prep_seconds: int = DEFAULT_PREP_S
    turns: list[Turn] = field(default_factory=list)
    position: int = 0  # index of the current turn
    finished: bool = False
    instructor: str = ""  # the instructor's name, on their scores ("" : "instructor")

    @classmethod
    def plan(
        cls,
        roster: list[str],
        scenario_ids: list[str],
        rounds: int,
        *,
        shuffle: bool = False,
        prep_seconds: int = DEFAULT_PREP_S,
        seed: int | None = None,
        instructor: str = "",
    ) -> Drill:
        """Every trainee once per round; rounds cycle through the scenarios, the whole class on one
        scenario a round. With more scenarios than rounds, trainees take them in turn within each
        round, so every scenario asked for is used (two scenarios, one round: A, B, A...)."""
        if not roster:
            raise ValueError("a drill needs at least one trainee")
        if not scenario_ids:
            raise ValueError("a drill needs at least one scenario")
        if rounds < 1:
            raise ValueError("a drill needs at least one round")
        rng = random.Random(seed)
        turns = []
        for round_number in range(1, rounds + 1):
            order = list(roster)
            if shuffle:
                rng.shuffle(order)
            if len(scenario_ids) <= rounds:
                scenario = scenario_ids[(round_number - 1) % len(scenario_ids)]
                turns += [Turn(name, scenario, round_number) for name in order]
                continue
            first = (round_number - 1) * len(order)
            turns += [
                Turn(name, scenario_ids[(first + i) % len(scenario_ids)], round_number)
                for i, name in enumerate(order)
            ]
        drill_id = f"{datetime.now():%Y%m%d-%H%M}-{uuid.uuid4().hex[:6]}"
        return cls(
            drill_id,
            datetime.now().astimezone().replace(microsecond=0),
            list(roster),
            list(scenario_ids),
            rounds,
            shuffle,
            prep_seconds,
            turns,
            instructor=instructor,
        )

    # -- where we are ----------------------------------------------------------------------------
    @property
    def current(self) -> Turn | None:
        return None if self.finished or self.position >= len(self.turns) else self.turns[self.position]

    @property
    def up_next(self) -> Turn | None:
        following = self.position + 1
        return self.turns[following] if following < len(self.turns) and not self.finished else None

    def round_turns(self, round_number: int) -> list[Turn]:
        return [t for t in self.turns if t.round == round_number]

    # -- moving on -------------------------------------------------------------------------------
    def record(self, attempt_id: str) -> None:
        """The current trainee's take (a re-take keeps the earlier one in the list)."""
        turn = self.current
        if turn is None:
            raise ValueError("the drill has no current turn")
        turn.attempt_ids.append(attempt_id)
        turn.status = TurnStatus.RECORDED
        turn.revealed = False

    def reveal(self) -> None:
        """The current take's scores are shown to the room (a new take hides them again)."""
        turn = self.current
        if turn is not None:
            turn.revealed = True

    def advance(self) -> None:
        self.position += 1
        if self.position >= len(self.turns):
            self.finished = True

    def skip(self) -> None:
        turn = self.current
        if turn is not None and turn.status is TurnStatus.WAITING:
            turn.status = TurnStatus.SKIPPED
        self.advance()

    def end_round(self) -> None:
        """Skip whoever has not gone yet in the current round."""
        turn = self.current
        if turn is None:
            return
        round_number = turn.round
        while self.current is not None and self.current.round == round_number:
            self.skip()

    def end(self) -> None:
        """End the drill now: every turn not taken yet is skipped (as the instructor was told)."""
        for turn in self.turns:
            if turn.status is TurnStatus.WAITING:
                turn.status = TurnStatus.SKIPPED
        self.finished = True


def drill_to_dict(drill: Drill) -> dict[str, Any]:
    data = asdict(drill)
    data["schema_version"] = DRILL_SCHEMA
    for turn in data["turns"]:
        turn["status"] = str(turn["status"])
    return data


def drill_from_dict(data: dict[str, Any]) -> Drill:
    if data.get("schema_version") != DRILL_SCHEMA:
        raise ValueError(f"unknown drill schema {data.get('schema_version')!r}")
    turns = [
        Turn(
            t["trainee"],
            t["scenario_id"],
            int(t["round"]),
            TurnStatus(t["status"]),
            list(t["attempt_ids"]),
            bool(t["revealed"]),
        )
        for t in data["turns"]
    ]
    return Drill(
        id=data["id"],
        created_at=data["created_at"],
        roster=list(data["roster"]),
        scenario_ids=list(data["scenario_ids"]),
        rounds=int(data["rounds"]),
        shuffle=bool(data["shuffle"]),
        prep_seconds=int(data["prep_seconds"]),
        turns=turns,
        position=int(data["position"]),
        finished=bool(data["finished"]),
        instructor=safe_name(str(data.get("instructor", ""))),
    )


class DrillStore:
    """``<data>/drills/<id>.toml``: a drill's state, rewritten atomically after every step."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = data_dir / "drills"

    def save(self, drill: Drill) -> Path:
        path = self.folder / f"{drill.id}.toml"
        atomic_write_text(path, tomli_w.dumps(drill_to_dict(drill)))
        return path

    def load(self, path: Path) -> Drill:
        try:
            return drill_from_dict(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}: cannot resume this drill: {error}") from None

    def latest_unfinished(self) -> Drill | None:
        """The most recently saved drill that has not finished, for ``drill --resume``."""
        if not self.folder.is_dir():
            return None
        for path in sorted(self.folder.glob("*.toml"), key=lambda p: p.stat().st_mtime_ns, reverse=True):
            try:
                drill = self.load(path)
            except ValueError:
                continue
            if not drill.finished:
                return drill
        return None


def paused_summary(drill: Drill) -> str:
    """A paused drill in a line the instructor recognises it by (names are terminal-safe)."""
    names = ", ".join(terminal_safe(n) for n in drill.roster[:4]) + (" …" if len(drill.roster) > 4 else "")
    when = drill.created_at.strftime("%a %d %b %H:%M")
    done = min(drill.position, len(drill.turns))
    return f"A drill from {when} is paused after {done} of {len(drill.turns)} turns ({names})."
