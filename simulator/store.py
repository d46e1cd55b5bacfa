"""The recordings folder: where each attempt's audio and TOML record live.

Layout: ``recordings/<trainee-slug>/<YYYY-MM-DD>/<HHMMSS>-<scenario>-<short-id>.wav`` with a
``.toml`` record beside it. Records are written atomically; a record that cannot be read is
reported with its path and skipped, never fatal.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import tomllib
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import tomli_w

from simulator import __version__
from simulator.attempts import Assessment, Attempt, Rater, RaterKind, ScoredAssessment, TimingVerdict
from simulator.fileio import atomic_write_text

RECORD_SCHEMA = 1
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_MAX_SLUG_BYTES = 60


def slugify(name: str) -> str:
    """A folder name for a trainee: safe on every file system, recognisable, and one per name.

    Letters (any script) and digits are kept, lower-cased; everything else becomes a hyphen. A name
    that is not already its own slug gets a short hash of the exact name, so "Ann Lee" and
    "ann-lee" never share a folder. Never empty, never ``.``/``..``, never a reserved device name.
    """
    exact = unicodedata.normalize("NFC", name)
    folded = unicodedata.normalize("NFC", exact.casefold())
    slug = re.sub(r"[^\w]+|_+", "-", folded).strip("-")
    while len(slug.encode()) > _MAX_SLUG_BYTES:
        slug = slug[:-1]
    slug = slug.strip("-") or "trainee"
    if slug in _RESERVED:
        slug = f"{slug}-x"
    if slug != exact:
        slug = f"{slug}-{hashlib.sha256(exact.encode()).hexdigest()[:6]}"
    return slug


def new_attempt_id() -> str:
    return uuid.uuid4().hex


def workstation_name() -> str:
    return socket.gethostname()


class RecordError(Exception):
    """A record file that cannot be read; names the file."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


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
    if attempt.analysis is not None:
        document["analysis"] = _plain(dict(attempt.analysis))
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


def attempt_from_dict(data: dict[str, Any]) -> Attempt:
    """The inverse of :func:`attempt_to_dict`; raises KeyError/TypeError/ValueError on bad data."""
    if data.get("schema_version") != RECORD_SCHEMA:
        raise ValueError(f"unknown schema_version {data.get('schema_version')!r}")
    started_at = data["started_at"]
    if not isinstance(started_at, datetime) or started_at.tzinfo is None:
        raise ValueError("started_at must be a date and time with a timezone")
    assessments = tuple(
        ScoredAssessment(
            Assessment(
                rater=Rater(RaterKind(item["rater"]), str(item.get("rater_name", ""))),
                ratings={str(k): int(v) for k, v in item["ratings"].items()},
                criterion_notes={str(k): str(v) for k, v in item.get("criterion_notes", {}).items()},
                notes=str(item.get("notes", "")),
                rated_at=item.get("rated_at"),
            ),
            float(item["score"]),
            TimingVerdict(item["timing_verdict"]),
        )
        for item in data.get("assessment", [])
    )
    scenario = data["scenario"]
    return Attempt(
        id=str(data["id"]),
        trainee=str(data["trainee"]),
        scenario_id=str(scenario["id"]),
        scenario_title=str(scenario["title"]),
        scenario_version=int(scenario["version"]),
        started_at=started_at,
        duration_s=float(data["duration_s"]),
        audio_file=str(data["audio_file"]),
        workstation=str(data.get("workstation", "")),
        app_version=str(data.get("app_version", "")),
        overflows=int(data.get("overflows", 0)),
        cut_off=bool(data.get("cut_off", False)),
        recording_error=str(data.get("recording_error", "")),
        prep_notes=str(data.get("prep_notes", "")),
        drill_id=str(data.get("drill_id", "")),
        analysis=data.get("analysis"),
        assessments=assessments,
    )


def load_record(path: Path) -> Attempt:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return attempt_from_dict(data)
    except (OSError, UnicodeDecodeError) as error:
        raise RecordError(path, f"cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise RecordError(path, f"not valid TOML: {error}") from None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise RecordError(path, f"not a valid attempt record: {error!r}") from None


@dataclass
class Listing:
    """Attempts found under one or more data folders, and the records that could not be read."""

    attempts: list[Attempt] = field(default_factory=list)
    problems: list[RecordError] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)  # attempt id -> record path


class Store:
    """One data folder: ``<data>/recordings/...``."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.recordings = data_dir / "recordings"

    def take_path(
        self, trainee: str, scenario_id: str, started_at: datetime, attempt_id: str, id_length: int = 8
    ) -> Path:
        """Where a take's audio goes; always inside the recordings folder."""
        local = started_at.astimezone()
        folder = self.recordings / slugify(trainee) / local.strftime("%Y-%m-%d")
        name = f"{local.strftime('%H%M%S')}-{slugify(scenario_id)}-{attempt_id[:id_length]}.wav"
        path = folder / name
        if self.recordings.resolve() not in path.resolve().parents:
            raise ValueError(f"refusing to write outside {self.recordings}: {path}")
        return path

    def new_take_path(self, trainee: str, scenario_id: str, started_at: datetime, attempt_id: str) -> Path:
        """Reserve a take's file: created exclusively, so two savers (two processes, or two
        workstations on one shared folder) can never be handed the same name."""
        for length in (8, 12, 16, len(attempt_id)):
            path = self.take_path(trainee, scenario_id, started_at, attempt_id, length)
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            except FileExistsError:
                continue
            return path
        raise FileExistsError(f"a take named for attempt {attempt_id} already exists in {path.parent}")

    def record_path(self, audio_path: Path) -> Path:
        return audio_path.with_suffix(".toml")

    def save(self, attempt: Attempt, audio_path: Path) -> Path:
        """Write (or rewrite) the attempt's record beside its audio, atomically."""
        path = self.record_path(audio_path)
        atomic_write_text(path, tomli_w.dumps(attempt_to_dict(attempt)))
        return path

    def audio_path(self, record_path: Path, attempt: Attempt) -> Path:
        return record_path.with_name(attempt.audio_file)

    def record_files(self) -> Iterator[Path]:
        if self.recordings.is_dir():
            yield from sorted(p for p in self.recordings.rglob("*.toml") if not p.name.startswith("."))


def list_attempts(stores: Iterable[Store]) -> Listing:
    """Every readable attempt in ``stores``, oldest first, each id once (first found wins)."""
    listing = Listing()
    for store in stores:
        for path in store.record_files():
            try:
                attempt = load_record(path)
            except RecordError as error:
                listing.problems.append(error)
                continue
            if attempt.id in listing.paths:
                continue
            listing.paths[attempt.id] = path
            listing.attempts.append(attempt)
    listing.attempts.sort(key=lambda a: a.started_at)
    return listing


def new_attempt_fields() -> dict[str, str]:
    return {"workstation": workstation_name(), "app_version": __version__}
