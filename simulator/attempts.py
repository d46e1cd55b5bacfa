"""Attempts and their assessments: pure data and arithmetic, no I/O."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from simulator.analysis.record import TakeAnalysis
from simulator.scenarios import Rubric, Targets


class RaterKind(StrEnum):
    SELF = "self"
    INSTRUCTOR = "instructor"
    PEER = "peer"


class TimingVerdict(StrEnum):
    TOO_SHORT = "too short"
    WITHIN_TARGET = "within target"
    TOO_LONG = "too long"
    CUT_OFF = "cut off at the maximum"


class AssessmentError(ValueError):
    """Ratings that do not fit the rubric."""


@dataclass(frozen=True)
class Rater:
    kind: RaterKind
    name: str = ""

    def __str__(self) -> str:
        return f"{self.kind.value} ({self.name})" if self.name else self.kind.value


@dataclass(frozen=True)
class Assessment:
    """One rater's judgement of one take: a level per criterion, plus notes."""

    rater: Rater
    ratings: Mapping[str, int]
    criterion_notes: Mapping[str, str] = field(default_factory=dict)
    notes: str = ""
    rated_at: datetime | None = None


def check_ratings(rubric: Rubric, ratings: Mapping[str, int]) -> None:
    """Raise :class:`AssessmentError` unless every criterion has a level on its scale, and no more."""
    missing = [c.id for c in rubric.criteria if c.id not in ratings]
    if missing:
        raise AssessmentError(f"no rating for: {', '.join(missing)}")
    unknown = sorted(set(ratings) - set(rubric.ids))
    if unknown:
        raise AssessmentError(f"not in this rubric: {', '.join(unknown)}")
    for criterion in rubric.criteria:
        level = ratings[criterion.id]
        if isinstance(level, bool) or level not in criterion.scale.levels:
            raise AssessmentError(
                f"{criterion.id}: {level!r} is not on the {criterion.scale.value} scale "
                f"({', '.join(map(str, criterion.scale.levels))})"
            )


def points(score: float) -> int:
    """A score as shown, in whole points, halves up (86.5 is 87 everywhere, and the gap between
    two shown scores is the difference of what is shown; Python's round would give 86)."""
    return math.floor(score + 0.5)


def weighted_score(rubric: Rubric, ratings: Mapping[str, int]) -> float:
    """0–100: each criterion's level as a fraction of its scale's top, weighted; to 0.01, so the
    whole points shown are the score's own (8.25 of 13 is 63.46, shown 63: kept as 63.5 it was 64)."""
    check_ratings(rubric, ratings)
    total_weight = sum(c.weight for c in rubric.criteria)
    earned = sum(c.weight * ratings[c.id] / c.scale.top for c in rubric.criteria)
    return round(100.0 * earned / total_weight, 2)


def timing_verdict(targets: Targets, duration_s: float, cut_off: bool = False) -> TimingVerdict:
    if cut_off or duration_s >= targets.hard_max_seconds:
        return TimingVerdict.CUT_OFF
    if duration_s < targets.min_seconds:
        return TimingVerdict.TOO_SHORT
    if duration_s > targets.max_seconds:
        return TimingVerdict.TOO_LONG
    return TimingVerdict.WITHIN_TARGET


@dataclass(frozen=True)
class ScoredAssessment:
    """An assessment with the figures derived from it when it was saved."""

    assessment: Assessment
    score: float
    timing_verdict: TimingVerdict


@dataclass(frozen=True)
class Attempt:
    """One take of one scenario by one trainee, and everything said about it."""

    id: str
    trainee: str
    scenario_id: str
    scenario_title: str
    scenario_version: int
    started_at: datetime  # timezone-aware
    duration_s: float
    audio_file: str  # the take's file name, beside the record
    workstation: str = ""
    app_version: str = ""
    overflows: int = 0
    cut_off: bool = False
    recording_error: str = ""
    prep_notes: str = ""
    drill_id: str = ""
    analysis: TakeAnalysis | None = None  # what the machine heard in the take
    assessments: tuple[ScoredAssessment, ...] = ()
    campaign_id: str = ""  # a campaign's step (simulator.campaigns), else ""
    campaign_step: int = 0
    chosen_at: datetime | None = None  # when the trainee picked this take to count for its step

    @property
    def message_s(self) -> float:
        """How long the message is: from the beep to the last word (the silence while the trainee
        reaches for the stop key is not part of it), or the take's length if it was not measured.
        The timing verdict and the timing hint both judge this, so they never disagree."""
        if self.analysis is None or not self.analysis.measurements.has_speech:
            return self.duration_s
        return max(0.0, self.duration_s - self.analysis.measurements.trail_silence_s)

    def by(self, kind: RaterKind) -> list[ScoredAssessment]:
        return [s for s in self.assessments if s.assessment.rater.kind is kind]

    @property
    def self_score(self) -> float | None:
        own = self.by(RaterKind.SELF)
        return own[-1].score if own else None


def score_assessment(
    rubric: Rubric, targets: Targets, attempt: Attempt, assessment: Assessment
) -> ScoredAssessment:
    """Check the ratings against the rubric and attach the score and timing verdict."""
    return ScoredAssessment(
        assessment,
        weighted_score(rubric, assessment.ratings),
        timing_verdict(targets, attempt.message_s, attempt.cut_off),
    )
