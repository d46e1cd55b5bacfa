"""Follow-up campaigns: a sequence of voicemails to one prospect over simulated days.

The trainers teach the voicemail as one move in a sequence (seeds 000-004): Friday, then Monday's
"over the weekend I realised..." (001); a week to ten days, then five more at 5-7-day intervals
(004). A campaign names a prospect, the trainee's brief and 3 to 6 steps; each step is practised
as a scenario of its own (:meth:`Campaign.step_scenario`), so the practice flow, the drills and
the records need nothing new to play one. Pure values; reading them from TOML lives in
:mod:`simulator.campaign_loader`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from simulator.scenarios import (
    Brief,
    CampaignPlace,
    Criterion,
    EarlierMessage,
    Prospect,
    Rubric,
    Scenario,
    ScenarioKind,
    Targets,
)

MIN_STEPS, MAX_STEPS = 3, 6
# Weinberg waits "about one week to ten days before calling again", then calls "at least five more
# times, with intervals of five to seven days between each call" (seed 004)
FIRST_WAIT_DAYS = (7, 10)
CADENCE_DAYS = (5, 7)
STEP_SEPARATOR = "."  # a step's scenario id: "<campaign id>.<step number>"


@dataclass(frozen=True)
class Step:
    """One message of the campaign, left at a simulated date and time."""

    number: int  # from 1
    at: datetime  # the simulated local date and time the message is left
    title: str
    new: str  # what is new since the last message: an idea, a fact learned, an email sent, a teaser
    model_message: str
    targets: Targets
    rubric: Rubric  # the step's own criteria, then the campaign's shared ones

    @property
    def when(self) -> str:
        """The simulated date as a phone lists it: "Fri 8 Jan 10:05"."""
        return when(self.at)


def when(moment: datetime) -> str:
    """A simulated date and time as a phone lists it: "Fri 8 Jan 10:05"."""
    return f"{moment:%a} {moment.day} {moment:%b %H:%M}"


@dataclass(frozen=True)
class Campaign:
    id: str
    version: int
    title: str
    prospect_from: str  # the scenario whose prospect (greeting, voice, line) is called
    prospect: Prospect
    brief: Brief
    summary: str  # what the campaign is for, in a sentence or two
    steps: tuple[Step, ...]
    shared: tuple[Criterion, ...] = ()  # criteria every step is rated on
    source_path: str = field(default="", compare=False)

    def step(self, number: int) -> Step:
        for step in self.steps:
            if step.number == number:
                return step
        raise LookupError(f"campaign {self.id!r} has steps 1 to {len(self.steps)}, not {number}")

    def step_id(self, number: int) -> str:
        return f"{self.id}{STEP_SEPARATOR}{number}"

    def place(self, number: int, earlier: tuple[EarlierMessage, ...] = ()) -> CampaignPlace:
        step = self.step(number)
        following = number < len(self.steps)
        next_at = self.step(number + 1).at if following else None
        return CampaignPlace(self.id, number, len(self.steps), step.at, next_at, earlier)

    def step_scenario(self, number: int, earlier: tuple[EarlierMessage, ...] = ()) -> Scenario:
        """Step ``number`` as a scenario to practise: the campaign's brief, with what is new since
        the last message as its history, and the step's targets, model message and rubric."""
        step = self.step(number)
        history = f"{step.when}, message {number} of {len(self.steps)}. New since your last one: {step.new}"
        if self.brief.history:
            history = f"{self.brief.history}\n\n{history}"
        return Scenario(
            id=self.step_id(number),
            version=self.version,
            title=f"{self.title}: {step.title}",
            kind=ScenarioKind.CUSTOM,
            brief=dataclasses.replace(self.brief, history=history),
            prospect=self.prospect,
            targets=step.targets,
            rubric=step.rubric,
            model_message=step.model_message,
            source_path=self.source_path,
            campaign=self.place(number, earlier),
        )


def step_of(scenario_id: str) -> tuple[str, int] | None:
    """(campaign id, step number) for a step's scenario id, else None."""
    campaign_id, separator, number = scenario_id.rpartition(STEP_SEPARATOR)
    if not separator or not campaign_id or not number.isdigit() or len(number) > 2:
        return None
    return campaign_id, int(number)


def interval_days(earlier: datetime, later: datetime) -> float:
    return (later - earlier).total_seconds() / 86_400


Take = TypeVar("Take")


def counted_of(
    takes: Iterable[Take], started: Callable[[Take], datetime], chosen: Callable[[Take], datetime | None]
) -> Take | None:
    """Of a step's takes, the one that counts: the latest, unless the trainee picked another since it
    was recorded (the same rule for the campaign's screens and the class report)."""
    ordered = sorted(takes, key=started)
    if not ordered:
        return None
    latest = ordered[-1]
    picked = [(when, take) for take in ordered if (when := chosen(take)) is not None]
    if picked:
        when, take = max(picked, key=lambda pair: pair[0])
        if when >= started(latest):
            return take
    return latest
