"""What reports and exports need of an attempt: a typed summary, kept as JSON in the record index.

A summary holds the attempt's identity, timing and word count, campaign place, and each rater's
score and ratings; it is what :mod:`simulator.report` and :mod:`simulator.export` read, thousands at
a time, without parsing the record itself. Its JSON shape is the index's (``INDEX_FORMAT`` in
:mod:`simulator.record_index`): a change here is a change of format there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from simulator.attempts import Attempt, RaterKind, TimingVerdict

_MAX_WORDS = 10**9
# Looked up by value in a dict: calling the enum costs a microsecond a summary, and a report reads
# a hundred thousand of them.
_RATER_KINDS = {kind.value: kind for kind in RaterKind}
_VERDICTS = {verdict.value: verdict for verdict in TimingVerdict}


class SummaryError(ValueError):
    """Summary JSON that is not a summary (an index damaged, or written by another version)."""


class ScoreSummary(NamedTuple):
    """One rater's assessment of an attempt: who, the score, and the level per criterion."""

    rater: RaterKind
    rater_name: str
    score: float
    timing_verdict: TimingVerdict
    ratings: Mapping[str, int]

    def to_json(self) -> dict[str, Any]:
        return {
            "rater": self.rater.value,
            "rater_name": self.rater_name,
            "score": self.score,
            "timing_verdict": self.timing_verdict.value,
            "ratings": dict(self.ratings),
        }


class AttemptSummary(NamedTuple):
    """An attempt as reports and exports see it; ``record_path`` and ``sort_key`` say where its
    record is and when it started (UTC, as text), for reading it whole and for ordering.

    Named tuples, not frozen dataclasses: as immutable, and built four times faster (a frozen
    dataclass sets each field through ``object.__setattr__``), which a report over a hundred
    thousand summaries feels."""

    id: str
    trainee: str
    workstation: str
    scenario_id: str
    scenario_title: str
    scenario_version: int
    started_at: str  # ISO 8601, in the timezone it was recorded in
    duration_s: float  # the recording
    message_s: float  # beep to last word: what the timing verdict judges (Attempt.message_s)
    words: int | None
    words_sure: bool | None
    cut_off: bool
    drill_id: str  # "": not a drill's take
    campaign_id: str  # "": not a campaign's step
    campaign_step: int  # 0: not a campaign's step
    something_new: bool | None  # the campaign check: this message added something new
    assessments: tuple[ScoreSummary, ...]
    chosen_at: str = ""  # ISO 8601: when the trainee picked this take to count for its step; "": never
    record_path: str = ""
    sort_key: str = ""

    def by(self, kind: RaterKind) -> ScoreSummary | None:
        """The first assessment by this kind of rater, if any."""
        return next((a for a in self.assessments if a.rater is kind), None)

    def placed(self, record_path: str, sort_key: str) -> AttemptSummary:
        return self._replace(record_path=record_path, sort_key=sort_key)

    def to_json(self) -> dict[str, Any]:
        """The summary as the index keeps it (without where its record is)."""
        return {
            "id": self.id,
            "trainee": self.trainee,
            "workstation": self.workstation,
            "scenario_id": self.scenario_id,
            "scenario_title": self.scenario_title,
            "scenario_version": self.scenario_version,
            "started_at": self.started_at,
            "duration_s": self.duration_s,
            "message_s": self.message_s,
            "words": self.words,
            "words_sure": self.words_sure,
            "cut_off": self.cut_off,
            "drill_id": self.drill_id,
            "campaign_id": self.campaign_id,
            "campaign_step": self.campaign_step,
            "something_new": self.something_new,
            "assessments": [a.to_json() for a in self.assessments],
            "chosen_at": self.chosen_at,
        }

    @classmethod
    def from_json(cls, data: Any, record_path: str = "", sort_key: str = "") -> AttemptSummary:
        """The summary in ``data`` (parsed JSON); :class:`SummaryError` if it is not one."""
        try:
            kinds, verdicts = _RATER_KINDS, _VERDICTS
            assessments = tuple(
                [
                    ScoreSummary(
                        kinds[a["rater"]],
                        a["rater_name"],
                        a["score"],
                        verdicts[a["timing_verdict"]],
                        a["ratings"],
                    )
                    for a in data["assessments"]
                ]
            )
            return cls(
                data["id"],
                data["trainee"],
                data["workstation"],
                data["scenario_id"],
                data["scenario_title"],
                data["scenario_version"],
                data["started_at"],
                data["duration_s"],
                data["message_s"],
                data["words"],
                data["words_sure"],
                data["cut_off"],
                data["drill_id"],
                data["campaign_id"],
                data["campaign_step"],
                data["something_new"],
                assessments,
                data["chosen_at"],
                record_path,
                sort_key,
            )
        except (KeyError, TypeError, ValueError) as error:
            raise SummaryError(f"not an attempt summary: {error!r}") from None


def attempt_summary(attempt: Attempt) -> AttemptSummary:
    """What reports and CSV exports need of an attempt."""
    words = attempt.analysis.words if attempt.analysis is not None else None
    if words is not None and not 0 <= words <= _MAX_WORDS:
        words = None
    return AttemptSummary(
        id=attempt.id,
        trainee=attempt.trainee,
        workstation=attempt.workstation,
        scenario_id=attempt.scenario_id,
        scenario_title=attempt.scenario_title,
        scenario_version=attempt.scenario_version,
        started_at=attempt.started_at.isoformat(),
        duration_s=attempt.duration_s,
        message_s=attempt.message_s,
        words=words,
        words_sure=None if words is None or attempt.analysis is None else attempt.analysis.words_sure,
        cut_off=attempt.cut_off,
        drill_id=attempt.drill_id,
        campaign_id=attempt.campaign_id,
        campaign_step=attempt.campaign_step,
        something_new=_hint_value(attempt, "something_new"),
        chosen_at=attempt.chosen_at.isoformat() if attempt.chosen_at else "",
        assessments=tuple(
            ScoreSummary(
                scored.assessment.rater.kind,
                scored.assessment.rater.name,
                scored.score,
                scored.timing_verdict,
                dict(scored.assessment.ratings),
            )
            for scored in attempt.assessments
        ),
    )


def _hint_value(attempt: Attempt, hint_id: str) -> bool | None:
    hint = attempt.analysis.hints.get(hint_id) if attempt.analysis is not None else None
    return hint.value if hint is not None else None
