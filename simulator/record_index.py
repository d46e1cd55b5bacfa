"""A summary index of attempt records, so reports over many thousands of records stay fast.

Parsing a record with tomllib takes hundreds of microseconds; a JSON summary takes about ten. The
index keeps one summary per record file in SQLite (in the user's cache folder, never in a shared
data folder), keyed by path and checked against the file's size and modification time, so only
new or changed records are parsed. Summaries stream out one at a time: memory stays bounded.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simulator.attempts import Attempt
from simulator.store import RecordError, Store, load_record

INDEX_FORMAT = 1


def attempt_summary(attempt: Attempt) -> dict[str, Any]:
    """What reports and CSV exports need of an attempt, as plain JSON-able values."""
    analysis = attempt.analysis or {}
    words = analysis.get("words")
    return {
        "id": attempt.id,
        "trainee": attempt.trainee,
        "workstation": attempt.workstation,
        "scenario_id": attempt.scenario_id,
        "scenario_title": attempt.scenario_title,
        "scenario_version": attempt.scenario_version,
        "started_at": attempt.started_at.isoformat(),
        "duration_s": attempt.duration_s,
        "words": words if isinstance(words, int) else None,
        "cut_off": attempt.cut_off,
        "drill_id": attempt.drill_id,
        "assessments": [
            {
                "rater": scored.assessment.rater.kind.value,
                "rater_name": scored.assessment.rater.name,
                "score": scored.score,
                "timing_verdict": scored.timing_verdict.value,
                "ratings": dict(scored.assessment.ratings),
            }
            for scored in attempt.assessments
        ],
    }


@dataclass
class ScanResult:
    """Problems met while scanning; summaries are yielded, not kept."""

    problems: list[RecordError] = field(default_factory=list)
    parsed: int = 0  # records parsed because they were new or changed
    reused: int = 0  # records whose summary came from the index


def _walk_records(root: Path) -> Iterator[os.DirEntry[str]]:
    """Every ``*.toml`` below ``root`` (depth-first, sorted), as directory entries."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk_records(Path(entry.path))
        elif entry.name.endswith(".toml") and entry.is_file(follow_symlinks=False):
            yield entry


def _sort_key(summary: dict[str, Any]) -> str:
    """UTC start time as text: sorts chronologically whatever the timezone it was recorded in."""
    return datetime.fromisoformat(summary["started_at"]).astimezone(UTC).isoformat()


class RecordIndex:
    """Summaries of the records of one data folder, cached in a SQLite file."""

    def __init__(self, cache_folder: Path, store: Store) -> None:
        self.store = store
        key = hashlib.sha256(str(store.recordings.resolve()).encode()).hexdigest()[:16]
        self.path = cache_folder / f"records-{key}.sqlite"

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(
            f"CREATE TABLE IF NOT EXISTS records_v{INDEX_FORMAT} (path TEXT PRIMARY KEY, mtime_ns INTEGER, "
            "size INTEGER, sort_key TEXT, summary TEXT)"
        )
        connection.execute(f"CREATE INDEX IF NOT EXISTS by_time ON records_v{INDEX_FORMAT} (sort_key)")
        return connection

    def refresh(self, connection: sqlite3.Connection, result: ScanResult) -> None:
        """Parse the records that are new or changed since the index last saw them; forget deleted ones."""
        table = f"records_v{INDEX_FORMAT}"
        known = {
            row[0]: (row[1], row[2])
            for row in connection.execute(f"SELECT path, mtime_ns, size FROM {table}")
        }
        pending: list[tuple[str, int, int, str, str]] = []
        seen: set[str] = set()
        for entry in _walk_records(self.store.recordings):
            stat = entry.stat()
            seen.add(entry.path)
            if known.get(entry.path) == (stat.st_mtime_ns, stat.st_size):
                result.reused += 1
                continue
            try:
                summary = attempt_summary(load_record(Path(entry.path)))
            except RecordError as error:
                result.problems.append(error)
                if entry.path in known:
                    connection.execute(f"DELETE FROM {table} WHERE path = ?", (entry.path,))
                continue
            result.parsed += 1
            pending.append(
                (entry.path, stat.st_mtime_ns, stat.st_size, _sort_key(summary), json.dumps(summary))
            )
            if len(pending) >= 1000:
                connection.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?, ?, ?)", pending)
                pending.clear()
        connection.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?, ?, ?)", pending)
        connection.executemany(f"DELETE FROM {table} WHERE path = ?", [(p,) for p in known if p not in seen])
        connection.commit()

    def summaries(self, result: ScanResult | None = None) -> Iterator[dict[str, Any]]:
        """Each readable record's summary, oldest first, refreshing the index first."""
        result = result if result is not None else ScanResult()
        try:
            connection = self._connect()
        except sqlite3.Error:
            yield from self._without_index(result)  # an unwritable cache must not stop a report
            return
        with closing(connection):
            self.refresh(connection, result)
            rows = connection.execute(
                f"SELECT path, summary FROM records_v{INDEX_FORMAT} ORDER BY sort_key, path"
            )
            for path, summary in rows:
                yield {**json.loads(summary), "record_path": path}

    def _without_index(self, result: ScanResult) -> Iterator[dict[str, Any]]:
        found = []
        for entry in _walk_records(self.store.recordings):
            try:
                summary = attempt_summary(load_record(Path(entry.path)))
            except RecordError as error:
                result.problems.append(error)
                continue
            result.parsed += 1
            found.append({**summary, "record_path": entry.path})
        yield from sorted(found, key=_sort_key)


def merged_summaries(indexes: list[RecordIndex], result: ScanResult) -> Iterator[dict[str, Any]]:
    """Summaries from several data folders, each attempt id once (the first found wins)."""
    seen: set[str] = set()
    streams = [index.summaries(result) for index in indexes]
    for summary in heapq.merge(*streams, key=_sort_key):
        if summary["id"] in seen:
            continue
        seen.add(summary["id"])
        yield summary
