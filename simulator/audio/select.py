"""Open the audio backend: a file-backed device, or the real sound devices by name (the caller
has chosen them)."""

from __future__ import annotations

from pathlib import Path

from simulator.audio.base import AudioBackend
from simulator.audio.file_device import FileBackend


def open_backend(
    device_file: Path | None = None,
    input_device: str | None = None,
    output_device: str | None = None,
    speed: float = 1.0,
) -> AudioBackend:
    """The file-backed device when ``device_file`` is given, else the real sound devices.

    Raises :class:`~simulator.audio.base.AudioError` when PortAudio itself is missing.
    """
    if device_file is not None:
        return FileBackend(device_file, speed=speed)
    from simulator.audio.sounddevice_backend import SoundDeviceBackend

    return SoundDeviceBackend(input_device or None, output_device or None)
