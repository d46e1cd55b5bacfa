"""Speech made with the synthesisers on the machine (espeak-ng, flite), for tests and benchmarks.

Real voice-like audio without a microphone or anything downloaded: the fixtures every test of the
audio and analysis paths speaks, and the labelled set's takes. Each text is synthesised once and
kept in a cache (``VOICEMAIL_SIM_FIXTURE_CACHE``, else a folder in the system's temporary folder).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

FIXTURE_CACHE = Path(
    os.environ.get("VOICEMAIL_SIM_FIXTURE_CACHE") or Path(tempfile.gettempdir()) / "voicemail-sim-fixtures"
)


def speak(
    text: str,
    out: Path,
    voice: str = "en",
    speed: int = 160,
    engine: str = "espeak-ng",
    *,
    ssml: bool = False,
) -> Path:
    """Synthesise ``text`` (SSML for espeak-ng if ``ssml``) to ``out`` with espeak-ng or flite, cached."""
    FIXTURE_CACHE.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256(f"{engine}|{voice}|{speed}|{ssml}|{text}".encode()).hexdigest()[:24]
    cached = FIXTURE_CACHE / f"{key}.wav"
    if not cached.exists():
        tmp = cached.with_suffix(".part.wav")
        if engine == "flite":
            subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(tmp)], check=True)
        else:
            markup = ["-m"] if ssml else []
            subprocess.run([engine, *markup, "-v", voice, "-s", str(speed), "-w", str(tmp), text], check=True)
        os.replace(tmp, cached)
    shutil.copyfile(cached, out)
    return out
