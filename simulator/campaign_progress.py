"""How far a trainee is through a campaign, from their attempts: steps done, the take that counts
for each, what the next step's checks compare with, and the campaign's summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from simulator.analysis.campaign_hints import Repetition, most_repeated
from simulator.analysis.hints import disagreements
from simulator.attempts import Attempt, RaterKind, ScoredAssessment
from simulator.campaigns import CADENCE_DAYS, FIRST_WAIT_DAYS, Campaign, Step, counted_of, interval_days
from simulator.names import normalise_name
from simulator.scenarios import EarlierMessage, as_called_by


@dataclass(frozen=True)
class StepProgress:
    step: Step
    takes: tuple[Attempt, ...]  # oldest first
    counted: Attempt | None  # the take that counts: the one picked, else the latest

    @property
    def done(self) -> bool:
        return self.counted is not None

    @property
    def score(self) -> float | None:
        return self.counted.self_score if self.counted else None

    @property
    def words(self) -> tuple[str, ...] | None:
        """What was heard in the counted take; None when there is no take or it was not heard."""
        analysis = self.counted.analysis if self.counted else None
        if analysis is None or analysis.transcript is None:
            return None
        return tuple(w.text for w in analysis.transcript.words)


def counted_take(takes: Iterable[Attempt]) -> Attempt | None:
    """The latest take, unless the trainee picked another since it was recorded."""
    return counted_of(takes, lambda a: a.started_at, lambda a: a.chosen_at)


@dataclass(frozen=True)
class Interval:
    """The simulated days between two steps, against seed 004: a week to ten days after the first
    message, then five to seven."""

    after: int  # the step number the interval starts from
    days: float

    @property
    def advised(self) -> tuple[int, int]:
        return FIRST_WAIT_DAYS if self.after == 1 else CADENCE_DAYS

    @property
    def in_cadence(self) -> bool:
        low, high = self.advised
        return low <= round(self.days) <= high

    def shown(self) -> str:
        """ "9 days", "3 days (sooner)", "12 days (later)" against the advised interval."""
        days = round(self.days)
        low, high = self.advised
        note = " (sooner)" if days < low else " (later)" if days > high else ""
        return f"{days} day{'s' if days != 1 else ''}{note}"


@dataclass(frozen=True)
class CampaignProgress:
    campaign: Campaign
    trainee: str
    steps: tuple[StepProgress, ...]

    @property
    def done(self) -> int:
        return sum(s.done for s in self.steps)

    @property
    def next_step(self) -> int | None:
        """The first step not yet done, or None when every step is."""
        return next((s.step.number for s in self.steps if not s.done), None)

    @property
    def last_played(self) -> datetime | None:
        takes = [t.started_at for s in self.steps for t in s.takes]
        return max(takes) if takes else None

    def label(self) -> str:
        """ "step 2 of 5", "not started" or "done" for the start screen."""
        if self.next_step is None:
            return f"done, {len(self.steps)} of {len(self.steps)}"
        if not self.done and self.last_played is None:
            return "not started"
        return f"step {self.next_step} of {len(self.steps)}"

    def earlier(self, number: int) -> tuple[EarlierMessage, ...]:
        """The messages left before step ``number``, as its checks compare with them (a step not
        played yet is no message; one whose take was never heard has no words)."""
        return tuple(
            EarlierMessage(s.step.number, s.step.at, s.words)
            for s in self.steps
            if s.step.number < number and s.done
        )

    def repetitions(self) -> list[tuple[int, Repetition]]:
        """For each heard step after the first, the earlier heard message it repeats most, by the
        rule its Results screen used, against the takes that count now (a retake of an earlier
        step since changes the figure, as it changes what the prospect heard)."""
        found: list[tuple[int, Repetition]] = []
        for step in self.steps:
            if step.words is None:
                continue
            scenario = as_called_by(self.campaign.step_scenario(step.step.number), self.trainee)
            most = most_repeated(list(step.words), self.earlier(step.step.number), scenario)
            if most is not None:
                found.append((step.step.number, most))
        return found


def progress(campaign: Campaign, attempts: Iterable[Attempt], trainee: str) -> CampaignProgress:
    mine = [
        a
        for a in attempts
        if a.campaign_id == campaign.id and normalise_name(a.trainee) == normalise_name(trainee)
    ]
    steps = []
    for step in campaign.steps:
        takes = tuple(sorted((a for a in mine if a.campaign_step == step.number), key=lambda a: a.started_at))
        steps.append(StepProgress(step, takes, counted_take(takes)))
    return CampaignProgress(campaign, trainee, tuple(steps))


def cadence(campaign: Campaign) -> list[Interval]:
    return [
        Interval(a.number, interval_days(a.at, b.at))
        for a, b in zip(campaign.steps, campaign.steps[1:], strict=False)
    ]


def self_rated(record: CampaignProgress) -> Iterator[tuple[StepProgress, Attempt, ScoredAssessment]]:
    """Each step whose counted take the trainee assessed: the step, the take, their latest rating."""
    for step in record.steps:
        take = step.counted
        rated = take.by(RaterKind.SELF) if take else []
        if take is not None and rated:
            yield step, take, rated[-1]


def one_thing_to_change(record: CampaignProgress) -> str:
    """The criterion that cost the most across the counted takes, as advice for the next campaign;
    with nothing lost, where the machine's checks spoke against a top rating (walked: "Nothing
    stands out" after a number the machine could not make out)."""
    lost: Counter[str] = Counter()
    for step, _, own in self_rated(record):
        for criterion in step.step.rubric.criteria:
            level = own.assessment.ratings.get(criterion.id)
            if level is not None:
                lost[criterion.id] += criterion.weight * (criterion.scale.top - level) / criterion.scale.top
    if not lost or lost.most_common(1)[0][1] == 0:
        doubted: dict[int, list[str]] = {}
        for number, label in doubted_by_the_machine(record):
            doubted.setdefault(number, []).append(label)
        if doubted:  # labels hold commas ("Contact details, every time"): " · " between them
            where = "; ".join(f"message {number}: {' · '.join(labels)}" for number, labels in doubted.items())
            return (
                f"Nothing stands out in your own ratings; listen back to what the machine doubted: {where}."
            )
        return "Nothing stands out: keep each message new and light."
    worst, _ = lost.most_common(1)[0]
    criterion = next(c for s in record.steps for c in s.step.rubric.criteria if c.id == worst)
    return f"{criterion.label}: {criterion.question} {criterion.advice}"


def doubted_by_the_machine(record: CampaignProgress) -> list[tuple[int, str]]:
    """The (step, criterion) pairs rated at the top on a counted take that the machine's checks
    speak against (✗ or ⚠), in step order."""
    found = []
    for step, take, own in self_rated(record):
        if take.analysis is None:
            continue
        scenario = record.campaign.step_scenario(step.step.number)
        for item in disagreements(scenario, own.assessment.ratings, take.analysis.hints):
            if item.generous:
                found.append((step.step.number, item.label))
    return found
