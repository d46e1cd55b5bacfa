"""A WAV writer whose file stays playable if the process dies mid-take."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

import numpy as np
import soundfile as sf

# libsndfile rewrites the header's sizes after every write when this is on; soundfile has no public
# call for it. Without it a killed recording leaves a zero-size header that sox and ``wave`` reject.
_SFC_SET_UPDATE_HEADER_AUTO = 0x1061
_HEADER_BYTES = 44
_NEARLY_FULL_BYTES = 64 * 1024  # less than this left when a write fails: the disk is full


def as_os_error(error: Exception, path: Path) -> OSError:
    """``error`` as an OSError with an errno. libsndfile reports a full disk only as "System error",
    so a failed write on a disk with (next to) nothing left is said to be ENOSPC."""
    if isinstance(error, OSError):
        return error
    try:
        stats = os.statvfs(path.parent)
        free = stats.f_bfree if os.geteuid() == 0 else stats.f_bavail  # root may use reserved blocks
        full = free * stats.f_frsize < _NEARLY_FULL_BYTES
    except OSError:
        full = False
    if full:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
    return OSError(errno.EIO, str(error).rstrip("."), str(path))


class CrashSafeWavWriter:
    """Writes mono 16-bit WAV as frames arrive; every write leaves a valid file on disk.

    Every failure is an :class:`OSError` with an errno (``ENOSPC`` for a full disk).
    """

    def __init__(self, path: Path, samplerate: int, fsync_every_s: float = 2.0) -> None:
        self.path = path
        self.samplerate = samplerate
        self.frames = 0
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            # the header first by hand: a full disk says so here, with its errno; libsndfile would not
            os.write(self._fd, bytes(_HEADER_BYTES))
            os.ftruncate(self._fd, 0)
            os.lseek(self._fd, 0, os.SEEK_SET)
            self._file = sf.SoundFile(
                self._fd,
                "w",
                samplerate=samplerate,
                channels=1,
                subtype="PCM_16",
                format="WAV",
                closefd=False,
            )
        except (OSError, RuntimeError) as error:
            os.close(self._fd)
            raise as_os_error(error, path) from error
        except BaseException:
            os.close(self._fd)
            raise
        sf._snd.sf_command(self._file._file, _SFC_SET_UPDATE_HEADER_AUTO, sf._ffi.NULL, 1)
        self._fsync_every = max(1, int(fsync_every_s * samplerate))
        self._since_fsync = 0

    def write(self, frames: np.ndarray) -> None:
        """Append frames (float, clipped to [-1, 1]); raises OSError when the disk refuses."""
        try:
            self._file.write(np.clip(frames, -1.0, 1.0))
        except RuntimeError as error:
            raise as_os_error(error, self.path) from error
        self.frames += len(frames)
        self._since_fsync += len(frames)
        if self._since_fsync >= self._fsync_every:
            os.fsync(self._fd)  # survive a power cut too, not just a killed process
            self._since_fsync = 0

    def close(self) -> None:
        try:
            self._file.close()
        except RuntimeError as error:
            raise as_os_error(error, self.path) from error
        finally:
            with contextlib.suppress(OSError):
                os.fsync(self._fd)
            os.close(self._fd)
