"""A recogniser stand-in that hears exactly the transcript it is given.

Whisper's int8 kernels are chosen by CPU, so its words differ slightly from one machine to the
next. Screens pinned by snapshots, and any assertion that must hold exactly, are fed a fixed
transcript through this stand-in; the real recogniser is tested for behaviour, with floors.
"""

from __future__ import annotations

import numpy as np

from simulator.analysis.transcribe import Transcript, Word


class FixedTranscriber:
    """Quacks like :class:`simulator.analysis.transcribe.Transcriber`; hears ``transcript``."""

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript

    def feed(self, frames: np.ndarray, samplerate: int) -> None:
        """Audio is accepted and ignored: the words are fixed."""

    def end_of_audio(self) -> None:
        """Nothing is pending."""

    def close(self) -> None:
        """Nothing to free."""

    def done(self, within_s: float = 0.0) -> bool:
        return True

    def finish(self, timeout: float = 30.0) -> Transcript:
        return self.transcript


def transcript_of(timed_words: str) -> Transcript:
    """A transcript from ``"word@start-end word@start-end ..."`` (seconds)."""
    words = []
    for item in timed_words.split():
        text, _, times = item.rpartition("@")
        start, _, end = times.partition("-")
        words.append(Word(text, float(start), float(end)))
    return Transcript(tuple(words))
