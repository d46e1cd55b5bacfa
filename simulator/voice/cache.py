"""Rendered greetings kept on disk, keyed by everything that changes their sound."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from simulator.audio.base import Clip
from simulator.locations import cache_dir
from simulator.scenarios import PhoneLine, Prospect
from simulator.voice.line import as_heard
from simulator.voice.synth import Pyttsx3Synthesizer, SpeechJob, Synthesizer

CACHE_FORMAT = 1


class GreetingCache:
    """``path_for`` a prospect's greeting, rendering it (once) when missing. A prospect with a
    :attr:`~simulator.scenarios.Prospect.line` is rendered through it, once: the cached greeting
    stays instant to play."""

    def __init__(self, folder: Path, synthesizer: Synthesizer) -> None:
        self.folder = folder
        self.synthesizer = synthesizer
        # The start-up warm-up and a dial may ask for the same greeting at once: render it once.
        self._rendering = threading.Lock()

    def key(self, prospect: Prospect) -> str:
        voice = prospect.voice
        material = {
            "format": CACHE_FORMAT,
            "engine": self.synthesizer.engine_id,
            "text": prospect.greeting,
            "language": voice.language,
            "gender": voice.gender,
            "variant": voice.variant,
            "rate": voice.rate,
        }
        line = prospect.line or PhoneLine.NONE
        if line is not PhoneLine.NONE:  # absent for no line: greetings cached before lines stay valid
            material["line"] = line.value
        return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()[:32]

    def cached_path(self, prospect: Prospect) -> Path:
        return self.folder / f"{self.key(prospect)}.wav"

    def path_for(self, prospect: Prospect) -> Path:
        """The rendered greeting, synthesising it now if it is not cached."""
        self.warm([prospect])
        return self.cached_path(prospect)

    def warm(self, prospects: Iterable[Prospect], progress: Callable[[int, int], None] | None = None) -> int:
        """Render every greeting not yet cached, in one batch; returns how many were rendered."""
        with self._rendering:
            return self._warm(list(prospects), progress)

    def _warm(self, prospects: list[Prospect], progress: Callable[[int, int], None] | None) -> int:
        missing: dict[Path, Prospect] = {}
        for prospect in prospects:
            path = self.cached_path(prospect)
            if not path.is_file():
                missing[path] = prospect
        if not missing:
            return 0
        self.folder.mkdir(parents=True, exist_ok=True)
        jobs = [
            SpeechJob(p.greeting, p.voice, path.with_name(f"{path.stem}.{uuid.uuid4().hex}.part.wav"))
            for path, p in missing.items()
        ]
        if progress is not None:
            progress(0, len(jobs))
        try:
            self.synthesizer.render(jobs)
            for job, (path, prospect) in zip(jobs, missing.items(), strict=True):
                line = prospect.line or PhoneLine.NONE
                if line is not PhoneLine.NONE:
                    as_heard(Clip.load(job.out), line).save(job.out)
                os.replace(job.out, path)  # atomic: a reader never sees half a greeting
        finally:
            for job in jobs:
                job.out.unlink(missing_ok=True)
        if progress is not None:
            progress(len(jobs), len(jobs))
        return len(jobs)


def default_greeting_cache() -> GreetingCache:
    """The greetings rendered by the speech engine, kept in the user's cache folder."""
    return GreetingCache(cache_dir() / "greetings", Pyttsx3Synthesizer())
