"""What the app opens on: plain values the command line hands to the app (never argparse results).

The command line decides *what* to start; the app decides which screens that means.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.drill import DEFAULT_PREP_S, Drill


@dataclass(frozen=True)
class PracticeStart:
    """The start screen: a trainee picks a scenario (the default)."""


@dataclass(frozen=True)
class DrillSetupStart:
    """The drill set-up screen, filled in from ``voicemail-sim drill`` options."""

    roster: tuple[str, ...] = ()
    scenario_ids: tuple[str, ...] = ()
    rounds: int = 1
    shuffle: bool = False
    prep_s: int = DEFAULT_PREP_S


@dataclass(frozen=True)
class DrillResumeStart:
    """An unfinished drill, reopened where it was left."""

    drill: Drill


StartRequest = PracticeStart | DrillSetupStart | DrillResumeStart
