"""A WAV writer whose file stays playable if the process dies mid-take."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import numpy as np
import soundfile as sf

# libsndfile rewrites the header's sizes after every write when this is on; soundfile has no public
# call for it. Without it a killed recording leaves a zero-size header that sox and ``wave`` reject.
_SFC_SET_UPDATE_HEADER_AUTO = 0x1061


class CrashSafeWavWriter:
    """Writes mono 16-bit WAV as frames arrive; every write leaves a valid file on disk."""

    def __init__(self, path: Path, samplerate: int, fsync_every_s: float = 2.0) -> None:
        self.path = path
        self.samplerate = samplerate
        self.frames = 0
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            self._file = sf.SoundFile(
                self._fd,
                "w",
                samplerate=samplerate,
                channels=1,
                subtype="PCM_16",
                format="WAV",
                closefd=False,
            )
        except Exception:
            os.close(self._fd)
            raise
        sf._snd.sf_command(self._file._file, _SFC_SET_UPDATE_HEADER_AUTO, sf._ffi.NULL, 1)
        self._fsync_every = max(1, int(fsync_every_s * samplerate))
        self._since_fsync = 0

    def write(self, frames: np.ndarray) -> None:
        """Append frames (float, clipped to [-1, 1]); raises OSError/RuntimeError when the disk refuses."""
        self._file.write(np.clip(frames, -1.0, 1.0))
        self.frames += len(frames)
        self._since_fsync += len(frames)
        if self._since_fsync >= self._fsync_every:
            os.fsync(self._fd)  # survive a power cut too, not just a killed process
            self._since_fsync = 0

    def close(self) -> None:
        try:
            self._file.close()
        finally:
            with contextlib.suppress(OSError):
                os.fsync(self._fd)
            os.close(self._fd)
