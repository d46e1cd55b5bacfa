"""Speech synthesis behind a small interface: pyttsx3 (espeak-ng) in a worker process, or a stand-in."""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib.metadata
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

from simulator.audio.base import Clip
from simulator.scenarios import Voice

ESPEAK_MISSING = (
    "Speech synthesis needs espeak-ng. On Debian or Ubuntu: sudo apt-get install espeak-ng libespeak-ng1"
)


class SynthesisError(Exception):
    """A greeting could not be synthesised; the message says what to do."""


@dataclass(frozen=True)
class SpeechJob:
    text: str
    voice: Voice
    out: Path


@dataclass(frozen=True)
class VoiceInfo:
    id: str
    name: str
    languages: tuple[str, ...]
    gender: str


class Synthesizer(Protocol):
    """Renders text to WAV files."""

    @property
    def engine_id(self) -> str:
        """Names everything about the engine that changes its sound (for cache keys)."""
        ...

    def render(self, jobs: list[SpeechJob]) -> None: ...

    def voices(self) -> list[VoiceInfo]: ...


@cache
def espeak_version() -> str | None:
    """The espeak-ng library's version, or None when it is not installed."""
    name = ctypes.util.find_library("espeak-ng")
    if name is None:
        return None
    try:
        library = ctypes.CDLL(name)
    except OSError:
        return None
    library.espeak_Info.restype = ctypes.c_char_p
    version = library.espeak_Info(None)
    return version.decode() if version else "unknown"


class Pyttsx3Synthesizer:
    """pyttsx3 on espeak-ng, run in a child process with a time limit, jobs rendered in one batch."""

    def __init__(self, timeout_s: float = 30.0, worker_command: list[str] | None = None) -> None:
        self.timeout_s = timeout_s
        self.worker_command = worker_command or [sys.executable, "-m", "simulator.voice.worker"]

    @property
    def engine_id(self) -> str:
        return f"pyttsx3-{importlib.metadata.version('pyttsx3')}/espeak-ng-{espeak_version()}"

    def _call(self, request: dict, timeout_s: float) -> dict:
        if espeak_version() is None:
            raise SynthesisError(ESPEAK_MISSING)
        try:
            completed = subprocess.run(
                self.worker_command,
                input=json.dumps(request),
                capture_output=True,
                text=True,
                timeout=timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise SynthesisError(
                f"speech synthesis did not finish within {timeout_s:g} s and was stopped"
            ) from None
        try:
            reply = json.loads(completed.stdout)
        except json.JSONDecodeError:
            tail = completed.stderr.strip().splitlines()[-1:] or ["no output"]
            raise SynthesisError(f"speech synthesis failed: {tail[0]}") from None
        if "error" in reply:
            detail = reply["error"]
            if reply.get("kind") == "engine":
                raise SynthesisError(f"{ESPEAK_MISSING} ({detail})")
            raise SynthesisError(f"speech synthesis failed: {detail}")
        return reply

    def render(self, jobs: list[SpeechJob]) -> None:
        if not jobs:
            return
        request = {
            "action": "render",
            "jobs": [
                {
                    "text": job.text,
                    "out": str(job.out),
                    "language": job.voice.language,
                    "gender": job.voice.gender,
                    "variant": job.voice.variant,
                    "rate": job.voice.rate,
                }
                for job in jobs
            ],
        }
        reply = self._call(request, self.timeout_s + 2.0 * len(jobs))
        failed = [r for r in reply["results"] if not r["ok"]]
        if failed:
            raise SynthesisError(
                f"could not synthesise {failed[0]['out']}: {failed[0].get('error', 'empty file')}"
            )

    def voices(self) -> list[VoiceInfo]:
        reply = self._call({"action": "voices"}, self.timeout_s)
        return [
            VoiceInfo(v["id"], v["name"], tuple(v["languages"]), v["gender"] or "") for v in reply["voices"]
        ]


class PlaceholderSynthesizer:
    """For practising without speech synthesis: a quiet murmur as long as the words would take."""

    engine_id = "placeholder-1"

    def render(self, jobs: list[SpeechJob]) -> None:
        rate = 22050
        for job in jobs:
            seconds = max(1.0, len(job.text.split()) * 60.0 / job.voice.rate)
            t = np.arange(int(seconds * rate)) / rate
            murmur = 0.05 * np.sin(2 * np.pi * 180 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))
            tmp = job.out.with_suffix(".part.wav")
            Clip(murmur.astype(np.float32), rate).save(tmp)
            os.replace(tmp, job.out)

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo("placeholder", "Placeholder (no speech engine)", ("en",), "")]
