"""The recordings folder: where each attempt's audio and TOML record live.

Layout: ``recordings/<trainee-slug>/<YYYY-MM-DD>/<HHMMSS>-<scenario>-<short-id>.wav`` with a
``.toml`` record beside it. Records are written atomically; a record that cannot be read is
reported with its path and skipped, never fatal.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import socket
import sys
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import tomli_w

from simulator import __version__
from simulator.attempts import Attempt
from simulator.fileio import atomic_write_text
from simulator.names import normalise_name
from simulator.records import RecordError, attempt_to_dict, duplicate_error, load_record, utc_key

_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
_MAX_SLUG_BYTES = 60


def slugify(name: str) -> str:
    """A folder name for a trainee: safe on every file system, recognisable, and one per name.

    Letters (any script) and digits are kept, lower-cased; everything else becomes a hyphen. A name
    that is not already its own slug gets a short hash of the exact name, so "Ann Lee" and
    "ann-lee" never share a folder. Never empty, never ``.``/``..``, never a reserved device name.
    """
    exact = normalise_name(name)  # names that look the same share a folder
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

    def update(self, audio_path: Path, change: Callable[[Attempt | None], Attempt]) -> Attempt:
        """Rewrite a record from what is on disk now: under the record's lock, read it again
        (None if there is no readable record), apply ``change`` and save the result. Two sessions
        assessing one attempt (instructor at one workstation, a peer at another) both keep theirs."""
        path = self.record_path(audio_path)
        with record_lock(path):
            try:
                saved: Attempt | None = load_record(path)
            except RecordError:
                saved = None
            updated = change(saved)
            atomic_write_text(path, tomli_w.dumps(attempt_to_dict(updated)))
        return updated

    def record_files(self) -> Iterator[Path]:
        if self.recordings.is_dir():
            yield from sorted(p for p in self.recordings.rglob("*.toml") if not p.name.startswith("."))


def list_attempts(stores: Iterable[Store]) -> Listing:
    """Every readable attempt in ``stores``, oldest first, each id once.

    Of two records of one attempt, the earlier started wins, then the earlier folder, then the
    first path: the order :func:`simulator.record_index.merged_summaries` keeps, so the app and
    the exports agree. The other is reported as a problem naming both files.
    """
    listing = Listing()
    found: list[tuple[str, int, Path, Attempt]] = []
    for number, store in enumerate(stores):
        for path in store.record_files():
            try:
                attempt = load_record(path)
            except RecordError as error:
                listing.problems.append(error)
                continue
            found.append((utc_key(attempt.started_at), number, path, attempt))
    found.sort(key=lambda item: item[:3])
    for _, _, path, attempt in found:
        kept = listing.paths.get(attempt.id)
        if kept is not None:
            listing.problems.append(duplicate_error(path, attempt.id, kept))
            continue
        listing.paths[attempt.id] = path
        listing.attempts.append(attempt)
    return listing


def lock_path_of(record_path: Path) -> Path:
    return record_path.with_name(f".{record_path.name}.lock")


@contextlib.contextmanager
def record_lock(record_path: Path) -> Iterator[None]:
    """Hold a record's lock: a file lock on a hidden file beside it (``.<record>.lock``), so
    sessions in other processes, or on other workstations sharing the folder (where the file
    server honours locks), read, change and write that record one at a time."""
    lock_path = lock_path_of(record_path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the file releases its lock


def new_attempt_fields() -> dict[str, str]:
    return {"workstation": workstation_name(), "app_version": __version__}
