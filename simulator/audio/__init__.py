"""Audio devices behind one small interface: PortAudio (sounddevice) and a file-backed device."""

from simulator.audio.base import (
    AudioBackend,
    AudioError,
    Clip,
    DeviceInfo,
    InputStream,
    NoInputDeviceError,
    NoOutputDeviceError,
    Playback,
)

__all__ = [
    "AudioBackend",
    "AudioError",
    "Clip",
    "DeviceInfo",
    "InputStream",
    "NoInputDeviceError",
    "NoOutputDeviceError",
    "Playback",
]
