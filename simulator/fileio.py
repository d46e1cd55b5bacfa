"""Atomic file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TextIO


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: not every file system allows it)."""
    try:
        folder_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(folder_fd)
    os.close(folder_fd)


def _create_temporary(path: Path) -> tuple[int, str]:
    """A new hidden file beside ``path``, created exclusively with the mode the takes get (0644
    less the umask), not mkstemp's 0600: in a folder merged from several accounts, each can read
    the others' records as it reads their takes."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
    while True:
        name = str(path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp"))
        try:
            fd = os.open(name, flags, 0o644)
        except FileExistsError:
            continue
        return fd, name


@contextlib.contextmanager
def _atomic(path: Path, mode: str, **open_args: str) -> Iterator[IO]:
    """A temporary file beside ``path``, flushed, fsynced and renamed over it on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = _create_temporary(path)
    try:
        with os.fdopen(fd, mode, **open_args) as handle:  # type: ignore[call-overload]
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with _atomic(path, "wb") as handle:
        handle.write(data)


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))


@contextlib.contextmanager
def atomic_text_writer(path: Path, encoding: str = "utf-8", newline: str = "") -> Iterator[TextIO]:
    """Stream text into a temporary file beside ``path``; on success it replaces ``path`` atomically."""
    with _atomic(path, "w", encoding=encoding, newline=newline) as handle:
        yield handle  # type: ignore[misc]


DATA_FOLDER_REMEDY = "choose another folder with --data"
# The failures a person can cause and mend: a full disk, a read-only or unwritable folder.
STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})


def describe_os_error(
    error: OSError, path: Path | str | None = None, remedy: str = DATA_FOLDER_REMEDY
) -> str:
    """What a failed file operation means to a person, and what to do about it (``remedy``: the
    other place to write to, for this write).

    Every write a user can cause to fail (a full disk, a read-only or unwritable folder) is shown
    with this text, never as a traceback.
    """
    where = path if path is not None else (error.filename or "")
    place = f" ({where})" if where else ""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"The disk is full{place}: free some space, or {remedy}."
    if error.errno == errno.EROFS:
        return f"The folder is read-only{place}: {remedy}."
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"This folder cannot be written to{place}: check its permissions, or {remedy}."
    return f"Could not write{place}: {error.strerror or error}."
