"""Transcripts written by hand, timed, and the hints the cold call's scenario gives for them."""

from __future__ import annotations

import dataclasses

import numpy as np

from simulator.analysis.hints import Hint, machine_hints
from simulator.analysis.measure import Measurements, measure
from simulator.analysis.transcribe import Transcript, Word
from simulator.audio.base import Clip
from simulator.locations import shipped_scenarios_dir
from simulator.scenario_loader import load_library

COLD_CALL = load_library([shipped_scenarios_dir()]).get("cold-call")


UNSURE_PROBABILITY = 0.2  # a word written "young?": one the recogniser was unsure of


def said(text: str, gap: float = 0.3) -> list[Word]:
    """``text`` as timed words, one every ``gap`` s, 0.2 of it silent; a comma is a 0.3 s pause, and
    a word ending in "?" one the recogniser was unsure of."""
    words, start = [], 0.0
    for token in text.split():
        word = token.rstrip(",")
        probability = UNSURE_PROBABILITY if word.endswith("?") else 1.0
        words.append(Word(word.rstrip("?"), start, start + gap * 0.8, probability))
        start += gap + (0.3 if token.endswith(",") else 0.0)
    return words


def spoken_for(duration: float) -> Measurements:
    """Measurements of a take with speech lasting ``duration`` seconds."""
    silent = measure(Clip(np.zeros(1, dtype=np.float32), 16000))
    changes = {"duration_s": duration, "trail_silence_s": 0.5, "speech_s": duration - 1, "has_speech": True}
    return dataclasses.replace(silent, **changes)


def hints_for(text: str, duration: float = 20.0) -> dict[str, Hint]:
    return machine_hints(COLD_CALL, spoken_for(duration), Transcript(tuple(said(text))), caller="Sam Patel")
