"""Rubric hints: what the machine can say about each automatic check, with its evidence.

Timing hints come from the measurements. Hints that need the words of the take (names, numbers,
phrases) stay "not heard" (None) until a transcript is available.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.analysis.measure import Measurements
from simulator.scenarios import HINT_IDS, Scenario


@dataclass(frozen=True)
class Hint:
    value: bool | None  # None: the machine cannot tell
    evidence: str

    def as_dict(self) -> dict[str, object]:
        return (
            {"value": self.value, "evidence": self.evidence}
            if self.value is not None
            else {"evidence": self.evidence}
        )


NOT_HEARD = Hint(None, "needs the words of the take (speech recognition)")


def duration_hint(scenario: Scenario, measurements: Measurements) -> Hint:
    targets = scenario.targets
    seconds = measurements.duration_s - measurements.trail_silence_s
    within = targets.min_seconds <= seconds <= targets.max_seconds
    return Hint(
        within,
        f"{seconds:.1f} s from the beep to your last word; "
        f"target {targets.min_seconds:g}-{targets.max_seconds:g} s",
    )


def machine_hints(scenario: Scenario, measurements: Measurements) -> dict[str, Hint]:
    """Every hint id, with what the measurements can tell."""
    hints = dict.fromkeys(HINT_IDS, NOT_HEARD)
    hints["duration"] = duration_hint(scenario, measurements)
    if not measurements.has_speech:
        hints = dict.fromkeys(HINT_IDS, Hint(False, "no speech was heard in the take"))
    return hints
