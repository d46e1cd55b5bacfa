"""Voices the rules were not written against (bench/bench_rooms.py --other-voices).

Every message of the labelled set in each, to see that the hints hold beyond the labelled set's four
voices. A trainer's class sounds like none of them; these are only the other voices the machine has.
"""

from __future__ import annotations

from simulator.testing.accuracy_set import MESSAGES, Case

OTHER_VOICES = [
    ("flite", "rms", None), ("flite", "awb", None),
    ("espeak-ng", "en-gb-scotland", 165), ("espeak-ng", "en-gb-x-rp", 150),
]  # fmt: skip


def other_voice_cases(condition: str = "clean") -> list[Case]:
    """Every message in each of :data:`OTHER_VOICES`, recorded in ``condition``."""
    return [
        Case(message, engine, voice, speed, (0.4, 1.0, 2.5, 0.0)[(m_index + v_index) % 4], 0.0, condition)
        for m_index, message in enumerate(MESSAGES)
        for v_index, (engine, voice, speed) in enumerate(OTHER_VOICES)
    ]
