"""What a drill shows the room: the side-by-side reveal, leaderboards and calibration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from statistics import fmean

from simulator.attempts import Attempt, RaterKind, ScoredAssessment
from simulator.drill import Drill, TurnStatus
from simulator.scenario_loader import Library


def _latest(attempt: Attempt, kind: RaterKind) -> ScoredAssessment | None:
    found = attempt.by(kind)
    return found[-1] if found else None


def peer_mean(attempt: Attempt) -> float | None:
    peers = attempt.by(RaterKind.PEER)
    return round(fmean(p.score for p in peers), 2) if peers else None


@dataclass(frozen=True)
class RevealRow:
    criterion_id: str
    label: str
    self_level: int | None
    instructor_level: int | None
    peer_mean: float | None
    top: int


def reveal_rows(attempt: Attempt, library: Library) -> list[RevealRow]:
    """Per criterion: the trainee's, the instructor's and the peers' (mean) ratings."""
    scenario = library.scenarios.get(attempt.scenario_id)
    own, instructor = _latest(attempt, RaterKind.SELF), _latest(attempt, RaterKind.INSTRUCTOR)
    peers = attempt.by(RaterKind.PEER)
    criteria = scenario.rubric.criteria if scenario else ()
    rows = []
    for criterion in criteria:
        peer_levels = [
            p.assessment.ratings[criterion.id] for p in peers if criterion.id in p.assessment.ratings
        ]
        rows.append(
            RevealRow(
                criterion.id,
                criterion.label,
                own.assessment.ratings.get(criterion.id) if own else None,
                instructor.assessment.ratings.get(criterion.id) if instructor else None,
                round(fmean(peer_levels), 1) if peer_levels else None,
                criterion.scale.top,
            )
        )
    return rows


@dataclass(frozen=True)
class Standing:
    trainee: str
    instructor: float | None
    self_score: float | None
    peers: float | None
    best_attempt_id: str | None
    skipped: bool = False  # every turn of theirs was skipped: no take to score


def _score(attempt: Attempt, kind: RaterKind) -> float | None:
    scored = _latest(attempt, kind)
    return scored.score if scored else None


def leaderboard(
    drill: Drill, attempts: Mapping[str, Attempt], round_number: int | None = None
) -> list[Standing]:
    """By instructor score (mean over the counted takes), self and peers beside; best take for replay."""
    by_trainee: dict[str, list[Attempt]] = {name: [] for name in drill.roster}
    skipped: dict[str, bool] = {}
    for turn in drill.turns:
        if round_number is not None and turn.round != round_number:
            continue
        skipped[turn.trainee] = skipped.get(turn.trainee, True) and turn.status is TurnStatus.SKIPPED
        if turn.attempt_id and turn.attempt_id in attempts:
            by_trainee.setdefault(turn.trainee, []).append(attempts[turn.attempt_id])
    standings = []
    for trainee, taken in by_trainee.items():

        def mean(kind: RaterKind, taken: list[Attempt] = taken) -> float | None:
            scores = [s for a in taken if (s := _score(a, kind)) is not None]
            return round(fmean(scores), 2) if scores else None

        peer_scores = [p for a in taken if (p := peer_mean(a)) is not None]
        best = max(
            taken,
            key=lambda a: (_score(a, RaterKind.INSTRUCTOR) or -1, _score(a, RaterKind.SELF) or -1),
            default=None,
        )
        standings.append(
            Standing(
                trainee,
                mean(RaterKind.INSTRUCTOR),
                mean(RaterKind.SELF),
                round(fmean(peer_scores), 2) if peer_scores else None,
                best.id if best else None,
                skipped=not taken and skipped.get(trainee, False),
            )
        )
    return sorted(standings, key=lambda s: (s.instructor is None, -(s.instructor or 0), s.trainee.casefold()))


@dataclass(frozen=True)
class TraineeCalibration:
    trainee: str
    gap: float  # mean of self minus instructor score, in points
    takes: int

    @property
    def verdict(self) -> str:
        if self.gap > 10:
            return "over-rates"
        if self.gap < -10:
            return "under-rates"
        return "well calibrated"


@dataclass(frozen=True)
class CriterionCalibration:
    criterion_id: str
    label: str
    gap: float  # mean of self minus instructor, as a fraction of the scale (-1 to 1)
    agreement: float  # share of takes where self and instructor gave the same level
    takes: int


def calibration(
    drill: Drill, attempts: Mapping[str, Attempt], library: Library
) -> tuple[list[TraineeCalibration], list[CriterionCalibration]]:
    """Self against instructor: who over- or under-rates, and where the class's judgement is weakest."""
    per_trainee: dict[str, list[float]] = {}
    per_criterion: dict[str, list[tuple[float, bool]]] = {}
    labels: dict[str, str] = {}
    for turn in drill.turns:
        attempt = attempts.get(turn.attempt_id or "")
        if attempt is None:
            continue
        own, instructor = _latest(attempt, RaterKind.SELF), _latest(attempt, RaterKind.INSTRUCTOR)
        if own is None or instructor is None:
            continue
        per_trainee.setdefault(turn.trainee, []).append(own.score - instructor.score)
        scenario = library.scenarios.get(attempt.scenario_id)
        for criterion in scenario.rubric.criteria if scenario else ():
            mine = own.assessment.ratings.get(criterion.id)
            theirs = instructor.assessment.ratings.get(criterion.id)
            if mine is None or theirs is None:
                continue
            labels[criterion.id] = criterion.label
            per_criterion.setdefault(criterion.id, []).append(
                ((mine - theirs) / criterion.scale.top, mine == theirs)
            )
    trainees = sorted(
        (TraineeCalibration(name, round(fmean(gaps), 2), len(gaps)) for name, gaps in per_trainee.items()),
        key=lambda c: -abs(c.gap),
    )
    criteria = sorted(
        (
            CriterionCalibration(
                cid,
                labels[cid],
                round(fmean(g for g, _ in values), 2),
                fmean(1.0 if same else 0.0 for _, same in values),
                len(values),
            )
            for cid, values in per_criterion.items()
        ),
        key=lambda c: (c.agreement, -abs(c.gap)),
    )
    return trainees, criteria


def weakest(criteria: list[CriterionCalibration], count: int = 3) -> list[CriterionCalibration]:
    """The ``count`` criteria self and instructor agree on least (sorted so by :func:`calibration`),
    and any tied with the last of them: a cut between two criteria at 50 % would name one and
    leave out the other unexplained (walked). Criteria they always agree on are not weak."""
    weak = [c for c in criteria if c.agreement < 1.0]
    if len(weak) <= count:
        return weak
    last = weak[count - 1].agreement
    return [c for n, c in enumerate(weak) if n < count or c.agreement == last]
