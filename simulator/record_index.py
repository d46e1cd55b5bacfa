"""A summary index of attempt records, so reports over many thousands of records stay fast.

Parsing a record with tomllib takes hundreds of microseconds; a JSON summary takes about ten. The
index keeps one summary per record file in SQLite (in the user's cache folder, never in a shared
data folder), keyed by path and checked against the file's size and modification time, so only
new or changed records are parsed. Summaries stream out one at a time: memory stays bounded.

A record that cannot be read is kept in the index too, as a problem with its reason, so it is
reported on every run until it is mended or removed, not only on the run that first met it.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import orjson

from simulator.records import RecordError, duplicate_error, load_record, utc_key
from simulator.store import Store
from simulator.summaries import AttemptSummary, SummaryError, attempt_summary

INDEX_FORMAT = 8  # 3: problems kept; no NaN (format 2 could hold one); 4: names normalised; 5: campaigns;
# 6: whether the word count is sure; 7: which take counts for its campaign step; 8: the message's length
RACY_NS = 2_000_000_000  # a folder changed this close to its last reading is read again


@dataclass
class ScanResult:
    """Problems met while scanning; summaries are yielded, not kept."""

    problems: list[RecordError] = field(default_factory=list)
    parsed: int = 0  # records parsed because they were new or changed
    reused: int = 0  # records whose summary came from the index


def _record_folders(root: str) -> Iterator[tuple[str, int]]:
    """(path, modification time) of every folder that may hold records: the recordings folder,
    each trainee's folder and each of their day folders (the layout is ``<trainee>/<day>/``)."""

    def subfolders(path: str) -> list[os.DirEntry[str]]:
        try:
            return [
                e for e in os.scandir(path) if e.is_dir(follow_symlinks=False) and not e.name.startswith(".")
            ]
        except OSError:
            return []

    try:
        yield root, os.stat(root).st_mtime_ns
    except OSError:
        return
    for trainee in subfolders(root):
        yield trainee.path, trainee.stat().st_mtime_ns
        for day in subfolders(trainee.path):
            yield day.path, day.stat().st_mtime_ns


def _records_in(folder: str) -> Iterator[os.DirEntry[str]]:
    """Record files in ``folder``, and folders named like one (reported: they cannot be read)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.endswith(".toml") and not entry.name.startswith("."):
            try:
                if entry.is_file(follow_symlinks=False) or entry.is_dir(follow_symlinks=False):
                    yield entry
            except OSError:
                continue


def _summary_of(path: str) -> tuple[AttemptSummary, str]:
    """A record's summary and that summary as JSON (strict: no NaN or infinity, which orjson,
    and every later run with it, would refuse); RecordError if the record cannot be used."""
    if os.path.isdir(path):
        raise RecordError(Path(path), "a folder, not a record file")
    summary = attempt_summary(load_record(Path(path)))
    try:
        return summary, json.dumps(summary.to_json(), allow_nan=False)
    except ValueError as error:  # pragma: no cover - load_record refuses such numbers first
        raise RecordError(Path(path), f"not a valid attempt record: {error}") from None


def _sort_key(summary: AttemptSummary) -> str:
    """UTC start time as text: sorts chronologically whatever the timezone it was recorded in."""
    return utc_key(datetime.fromisoformat(summary.started_at))


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
            f"CREATE TABLE IF NOT EXISTS records_v{INDEX_FORMAT} (path TEXT PRIMARY KEY, folder TEXT, "
            "mtime_ns INTEGER, size INTEGER, sort_key TEXT, summary TEXT)"
        )
        # index names are the database's, not the table's: named by format, or an older format's
        # "by_time" stops the new table's being made (found by a review of format 8)
        connection.execute(
            f"CREATE INDEX IF NOT EXISTS by_time_v{INDEX_FORMAT} ON records_v{INDEX_FORMAT} (sort_key)"
        )
        connection.execute(
            f"CREATE INDEX IF NOT EXISTS by_folder_v{INDEX_FORMAT} ON records_v{INDEX_FORMAT} (folder)"
        )
        connection.execute(
            f"CREATE TABLE IF NOT EXISTS folders_v{INDEX_FORMAT} (folder TEXT PRIMARY KEY, mtime_ns INTEGER, "
            "scanned_ns INTEGER)"
        )
        connection.execute(
            f"CREATE TABLE IF NOT EXISTS problems_v{INDEX_FORMAT} (path TEXT PRIMARY KEY, folder TEXT, "
            "mtime_ns INTEGER, size INTEGER, reason TEXT)"
        )
        for kind in ("records", "folders", "problems"):  # what older formats left: never read again
            for (old,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? AND name != ?",
                (f"{kind}_v%", f"{kind}_v{INDEX_FORMAT}"),
            ).fetchall():
                connection.execute(f'DROP TABLE IF EXISTS "{old}"')
        return connection

    def refresh(self, connection: sqlite3.Connection, result: ScanResult, rescan: bool = False) -> None:
        """Bring the index up to date with the folder.

        A day folder whose modification time is unchanged since it was last read is skipped: the
        program writes every record by renaming a finished file into place, which updates the
        folder's time. A folder changed within two seconds of its last reading is read again all
        the same (file systems with coarse times, such as network shares, could otherwise hide a
        second change in the same tick). ``rescan`` reads everything, for hand-edited records (and
        whatever the index holds). Every record that cannot be read is then added to ``result``,
        whether it was read this time or its problem is remembered from an earlier run.
        """
        records, folders = f"records_v{INDEX_FORMAT}", f"folders_v{INDEX_FORMAT}"
        problems = f"problems_v{INDEX_FORMAT}"
        known_folders = {row[0]: (row[1], row[2]) for row in connection.execute(f"SELECT * FROM {folders}")}
        seen: set[str] = set()
        for folder, mtime in _record_folders(str(self.store.recordings)):
            seen.add(folder)
            previous = known_folders.get(folder)
            if not rescan and previous and previous[0] == mtime and mtime < previous[1] - RACY_NS:
                continue  # unchanged since it was read
            scanned = time.time_ns()
            self._refresh_folder(connection, folder, result, rescan)
            connection.execute(f"INSERT OR REPLACE INTO {folders} VALUES (?, ?, ?)", (folder, mtime, scanned))
        gone = [(path,) for path in known_folders if path not in seen]
        connection.executemany(f"DELETE FROM {records} WHERE folder = ?", gone)
        connection.executemany(f"DELETE FROM {folders} WHERE folder = ?", gone)
        connection.executemany(f"DELETE FROM {problems} WHERE folder = ?", gone)
        connection.commit()
        for path, reason in connection.execute(f"SELECT path, reason FROM {problems} ORDER BY path"):
            result.problems.append(RecordError(Path(path), reason))

    def _refresh_folder(
        self, connection: sqlite3.Connection, folder: str, result: ScanResult, rescan: bool = False
    ) -> None:
        records, problems = f"records_v{INDEX_FORMAT}", f"problems_v{INDEX_FORMAT}"
        known = {
            row[0]: (row[1], row[2])
            for table in (records, problems)
            for row in connection.execute(
                f"SELECT path, mtime_ns, size FROM {table} WHERE folder = ?", (folder,)
            )
        }
        present: set[str] = set()
        rows: list[tuple[str, str, int, int, str, str]] = []
        failed: list[tuple[str, str, int, int, str]] = []
        for entry in _records_in(folder):
            present.add(entry.path)
            try:
                stat = entry.stat(follow_symlinks=False)
            except OSError:
                continue  # gone since the folder was listed
            if not rescan and known.get(entry.path) == (stat.st_mtime_ns, stat.st_size):
                result.reused += 1
                continue
            try:
                summary, text = _summary_of(entry.path)
            except RecordError as error:
                failed.append((entry.path, folder, stat.st_mtime_ns, stat.st_size, error.reason))
                continue
            result.parsed += 1
            rows.append((entry.path, folder, stat.st_mtime_ns, stat.st_size, _sort_key(summary), text))
        connection.executemany(f"DELETE FROM {problems} WHERE path = ?", [row[:1] for row in rows])
        connection.executemany(f"DELETE FROM {records} WHERE path = ?", [row[:1] for row in failed])
        connection.executemany(f"INSERT OR REPLACE INTO {records} VALUES (?, ?, ?, ?, ?, ?)", rows)
        connection.executemany(f"INSERT OR REPLACE INTO {problems} VALUES (?, ?, ?, ?, ?)", failed)
        for table in (records, problems):
            connection.executemany(
                f"DELETE FROM {table} WHERE path = ?", [(p,) for p in known if p not in present]
            )

    def summaries(self, result: ScanResult | None = None, rescan: bool = False) -> Iterator[AttemptSummary]:
        """Each readable record's summary, oldest first, refreshing the index first."""
        result = result if result is not None else ScanResult()
        try:
            connection = self._connect()
        except sqlite3.Error:
            yield from self._without_index(result)  # an unwritable cache must not stop a report
            return
        with closing(connection):
            scan = ScanResult()
            try:
                self.refresh(connection, scan, rescan)
            except sqlite3.Error:  # the cache's disk is full, or its file damaged: read the records
                yield from self._without_index(result)
                return
            result.problems += scan.problems
            result.parsed, result.reused = result.parsed + scan.parsed, result.reused + scan.reused
            rows = connection.execute(
                f"SELECT sort_key, path, summary FROM records_v{INDEX_FORMAT} ORDER BY sort_key, path"
            )
            damaged: list[str] = []
            for sort_key, path, text in rows:
                try:  # orjson: about three times faster than json here
                    summary = AttemptSummary.from_json(orjson.loads(text), path, sort_key)
                except (orjson.JSONDecodeError, SummaryError):  # an index damaged outside this program
                    damaged.append(path)
                    try:
                        summary = _summary_of(path)[0].placed(path, sort_key)
                    except RecordError as error:
                        result.problems.append(error)
                        continue
                yield summary
            self._forget(connection, damaged)

    def _forget(self, connection: sqlite3.Connection, paths: list[str]) -> None:
        """Drop damaged summaries, and their folders' times, so the next run reads them again."""
        if not paths:
            return
        connection.executemany(f"DELETE FROM records_v{INDEX_FORMAT} WHERE path = ?", [(p,) for p in paths])
        folders = {(os.path.dirname(p),) for p in paths}
        connection.executemany(f"DELETE FROM folders_v{INDEX_FORMAT} WHERE folder = ?", folders)
        connection.commit()

    def _without_index(self, result: ScanResult) -> Iterator[AttemptSummary]:
        found = []
        entries = (e for f, _ in _record_folders(str(self.store.recordings)) for e in _records_in(f))
        for entry in entries:
            try:
                summary, _ = _summary_of(entry.path)
            except RecordError as error:
                result.problems.append(error)
                continue
            result.parsed += 1
            found.append(summary.placed(entry.path, _sort_key(summary)))
        yield from sorted(found, key=lambda s: (s.sort_key, s.record_path))


def merged_summaries(
    indexes: list[RecordIndex], result: ScanResult, rescan: bool = False
) -> Iterator[AttemptSummary]:
    """Summaries from several data folders, oldest first, each attempt id once: of two records of
    one attempt the first in that order is used (the first folder's, for the same start time) and
    the other is reported in ``result``, naming both files."""
    seen: dict[str, str] = {}
    streams = [index.summaries(result, rescan) for index in indexes]
    merged = streams[0] if len(streams) == 1 else heapq.merge(*streams, key=lambda s: s.sort_key)
    for summary in merged:
        kept = seen.get(summary.id)
        if kept is not None:
            result.problems.append(duplicate_error(Path(summary.record_path), summary.id, Path(kept)))
            continue
        seen[summary.id] = summary.record_path
        yield summary
