"""The sound server's own devices, behind PortAudio's "pulse" and "default" (issue #17).

Through ALSA's pulse plugin PortAudio sees only two devices, "pulse" and "default"; the microphones
and speakers a trainer recognises ("USB headset", "Built-in audio") are the sound server's. They are
read with ``pactl`` (PulseAudio's, also served by PipeWire), when it is installed and answers.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass

_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class ServerDevices:
    sources: tuple[str, ...]  # microphones (and monitors of outputs)
    sinks: tuple[str, ...]  # speakers
    default_source: str
    default_sink: str


def _pactl(*args: str) -> str | None:
    try:
        done = subprocess.run(
            ["pactl", *args], capture_output=True, text=True, timeout=_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def server_devices() -> ServerDevices | None:
    """The sound server's sources and sinks with its defaults, or None (no pactl, no server)."""
    if shutil.which("pactl") is None:
        return None
    info, sources, sinks = (
        _pactl("info"),
        _pactl("list", "short", "sources"),
        _pactl("list", "short", "sinks"),
    )
    if info is None or sources is None or sinks is None:
        return None
    defaults = dict(line.split(": ", 1) for line in info.splitlines() if ": " in line)

    def names(listing: str) -> tuple[str, ...]:
        return tuple(line.split("\t")[1] for line in listing.splitlines() if line.count("\t") >= 1)

    return ServerDevices(
        names(sources), names(sinks), defaults.get("Default Source", ""), defaults.get("Default Sink", "")
    )
