"""Attempt records: the TOML form of an attempt, written from it and read back strictly.

A record that cannot be read, for whatever reason, raises :class:`RecordError` naming the file
and the reason, so that every reader can report it and go on: the store's listing, the record
index and the exports.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simulator.analysis.record import TakeAnalysis
from simulator.attempts import Assessment, Attempt, Rater, RaterKind, ScoredAssessment, TimingVerdict
from simulator.names import safe_name

RECORD_SCHEMA = 1
# Bounds past which a record is damaged, not unusual: they keep every later sum, mean, date
# conversion and file write of a report or an export within range.
MAX_SECONDS = 86_400.0
MAX_LEVEL = 100
MAX_INT = 2**63 - 1  # TOML's integers are 64-bit
MAX_STEP = 99  # a campaign's step number
MAX_DEPTH = 32  # tables and arrays within the analysis; it holds a handful
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)  # far from year 9999, where local time overflows


class RecordError(Exception):
    """A record file that cannot be read; names the file."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.reason = message


def duplicate_error(path: Path, attempt_id: str, kept: Path) -> RecordError:
    """``path`` holds the same attempt as ``kept``, which was found first and is the one used."""
    return RecordError(path, f"the same attempt id ({attempt_id}) as {kept}, which is used instead")


def utc_key(moment: datetime) -> str:
    """A start time as text that sorts chronologically whatever timezone it was recorded in."""
    return moment.astimezone(UTC).isoformat()


def _plain(value: Any) -> Any:
    """Drop None (TOML has no null) from nested analysis data."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value if v is not None]
    return value


def attempt_to_dict(attempt: Attempt) -> dict[str, Any]:
    document: dict[str, Any] = {
        "schema_version": RECORD_SCHEMA,
        "id": attempt.id,
        "trainee": attempt.trainee,
        "workstation": attempt.workstation,
        "app_version": attempt.app_version,
        "started_at": attempt.started_at,
        "duration_s": attempt.duration_s,
        "overflows": attempt.overflows,
        "cut_off": attempt.cut_off,
        "recording_error": attempt.recording_error,
        "audio_file": attempt.audio_file,
        "prep_notes": attempt.prep_notes,
        "drill_id": attempt.drill_id,
        "scenario": {
            "id": attempt.scenario_id,
            "title": attempt.scenario_title,
            "version": attempt.scenario_version,
        },
    }
    if attempt.campaign_id:
        document["campaign"] = {
            "id": attempt.campaign_id,
            "step": attempt.campaign_step,
            **({"chosen_at": attempt.chosen_at} if attempt.chosen_at else {}),
        }
    if attempt.analysis is not None:
        document["analysis"] = _plain(attempt.analysis.to_dict())
    document["assessment"] = [
        {
            "rater": scored.assessment.rater.kind.value,
            "rater_name": scored.assessment.rater.name,
            "score": scored.score,
            "timing_verdict": scored.timing_verdict.value,
            **({"rated_at": scored.assessment.rated_at} if scored.assessment.rated_at else {}),
            "notes": scored.assessment.notes,
            "ratings": dict(scored.assessment.ratings),
            "criterion_notes": dict(scored.assessment.criterion_notes),
        }
        for scored in attempt.assessments
    ]
    return document


class _Table:
    """Typed reading of one table of a record: every complaint names the key and what it holds."""

    def __init__(self, value: object, where: str) -> None:
        if not isinstance(value, dict):
            raise ValueError(f"{where or 'the record'} must be a table, not {_shown(value)}")
        self.values: dict[str, Any] = value
        self.where = where

    def name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def get(self, key: str, default: object = ...) -> Any:
        if key in self.values:
            return self.values[key]
        if default is ...:
            raise ValueError(f"{self.name(key)} is missing")
        return default

    def text(self, key: str, default: object = ..., *, required: bool = False) -> str:
        value = self.get(key, default)
        if not isinstance(value, str) or (required and not value):
            raise ValueError(
                f"{self.name(key)} must be {'non-empty ' if required else ''}text, not {_shown(value)}"
            )
        return value

    def integer(self, key: str, default: object = ..., low: int = 0, high: int = MAX_INT) -> int:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(
                f"{self.name(key)} must be a whole number from {low} to {high}, not {_shown(value)}"
            )
        return value

    def number(self, key: str, high: float) -> float:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= high:
            # NaN fails every comparison, so it is caught here with the infinities
            raise ValueError(f"{self.name(key)} must be a number from 0 to {high:g}, not {_shown(value)}")
        return float(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            raise ValueError(f"{self.name(key)} must be true or false, not {_shown(value)}")
        return value

    def moment(self, key: str, default: object = ...) -> datetime | None:
        value = self.get(key, default)
        if value is None and default is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"{self.name(key)} must be a date and time with a timezone, not {_shown(value)}")
        try:
            in_range = EARLIEST <= value.astimezone(UTC) < LATEST
        except OverflowError:
            in_range = False
        if not in_range:
            raise ValueError(f"{self.name(key)} is out of range ({EARLIEST.year} to {LATEST.year}): {value}")
        return value

    def strings(self, key: str) -> dict[str, str]:
        table = _Table(self.get(key, {}), self.name(key))
        return {k: table.text(k) for k in table.values}

    def levels(self, key: str) -> dict[str, int]:
        table = _Table(self.get(key), self.name(key))
        return {k: table.integer(k, high=MAX_LEVEL) for k in table.values}


def _shown(value: object) -> str:
    """A value for a message: short, whatever it is (never the whole of a deeply nested list)."""
    if isinstance(value, dict | list):
        return f"a {'table' if isinstance(value, dict) else 'list'} of {len(value)}"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _check_depth(value: object, where: str) -> None:
    """Refuse data nested deeper than :data:`MAX_DEPTH` (walked without recursion)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValueError(f"{where} is nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def _file_name(table: _Table, key: str) -> str:
    name = table.text(key, required=True)
    if name in {".", ".."} or "/" in name or "\\" in name or "\0" in name:
        raise ValueError(f"{key} must be a file name beside the record, not {_shown(name)}")
    return name


def _assessment(value: object, where: str) -> ScoredAssessment:
    item = _Table(value, where)
    try:
        kind = RaterKind(item.get("rater"))
        verdict = TimingVerdict(item.get("timing_verdict"))
    except (ValueError, TypeError):
        raise ValueError(f"{where}: unknown rater or timing_verdict") from None
    return ScoredAssessment(
        Assessment(
            rater=Rater(kind, item.text("rater_name", "")),
            ratings=item.levels("ratings"),
            criterion_notes=item.strings("criterion_notes"),
            notes=item.text("notes", ""),
            rated_at=item.moment("rated_at", None),
        ),
        item.number("score", 100.0),
        verdict,
    )


def attempt_from_dict(data: dict[str, Any]) -> Attempt:
    """The inverse of :func:`attempt_to_dict`; raises ValueError, naming the key, on bad data.

    Beyond types, it refuses what no saved attempt holds and what would break a later step:
    infinite or NaN numbers, dates that overflow when converted to UTC or local time, analysis
    nested absurdly deep, an audio file name that leads out of the record's folder.
    """
    record = _Table(data, "")
    version = record.get("schema_version", None)
    if isinstance(version, bool) or version != RECORD_SCHEMA:
        raise ValueError(f"unknown schema_version {_shown(version)}")
    started_at = record.moment("started_at")
    assert started_at is not None
    analysis = record.get("analysis", None)
    if analysis is not None:
        _Table(analysis, "analysis")
        _check_depth(analysis, "analysis")
        analysis = TakeAnalysis.from_dict(analysis)
    items = record.get("assessment", [])
    if not isinstance(items, list):
        raise ValueError(f"assessment must be a list of tables, not {_shown(items)}")
    assessments = tuple(_assessment(item, f"assessment[{n}]") for n, item in enumerate(items))
    scenario = _Table(record.get("scenario"), "scenario")
    campaign = _Table(record.get("campaign", {}), "campaign")
    return Attempt(
        id=record.text("id", required=True),
        # one spelling, however it was typed; a control character (a hand-edited record) is shown
        # as an escape wherever the name goes: a screen, a terminal, a spreadsheet
        trainee=safe_name(record.text("trainee")),
        scenario_id=scenario.text("id"),
        scenario_title=scenario.text("title"),
        scenario_version=scenario.integer("version"),
        started_at=started_at,
        duration_s=record.number("duration_s", MAX_SECONDS),
        audio_file=_file_name(record, "audio_file"),
        workstation=record.text("workstation", ""),
        app_version=record.text("app_version", ""),
        overflows=record.integer("overflows", 0),
        cut_off=record.flag("cut_off", False),
        recording_error=record.text("recording_error", ""),
        prep_notes=record.text("prep_notes", ""),
        drill_id=record.text("drill_id", ""),
        analysis=analysis,
        assessments=assessments,
        campaign_id=campaign.text("id", ""),
        campaign_step=campaign.integer("step", 0, high=MAX_STEP),
        chosen_at=campaign.moment("chosen_at", None),
    )


def load_record(path: Path) -> Attempt:
    """The attempt in a record file; any file that is not one raises :class:`RecordError` (with
    the path and the reason), whatever is wrong with it."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return attempt_from_dict(data)
    except IsADirectoryError:
        raise RecordError(path, "a folder, not a record file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RecordError(path, f"cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise RecordError(path, f"not valid TOML: {error}") from None
    except RecursionError:
        raise RecordError(path, "not a valid attempt record: values nested too deeply") from None
    except ValueError as error:  # what attempt_from_dict refuses, and tomllib's overlong numbers
        raise RecordError(path, f"not a valid attempt record: {error}") from None
    except (KeyError, TypeError, AttributeError, OverflowError) as error:  # pragma: no cover - a gap above
        raise RecordError(path, f"not a valid attempt record: {type(error).__name__}: {error}") from None
