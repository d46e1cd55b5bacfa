"""The class report's campaign section: per trainee, how far through each campaign, the self-score
of the take that counts at each step (as the campaign's own screens show it), and how often a
message repeated the one before (issue #19)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from simulator.attempts import RaterKind, points
from simulator.campaigns import STEP_SEPARATOR, counted_of
from simulator.scenarios import Scenario
from simulator.summaries import AttemptSummary


@dataclass
class CampaignLine:
    trainee: str
    campaign_id: str
    takes: dict[int, list[AttemptSummary]] = field(default_factory=dict)  # step -> its takes
    repeated: int = 0  # takes the repetition check found repeating an earlier message
    compared: int = 0  # takes it could compare

    @property
    def steps_done(self) -> set[int]:
        return set(self.takes)

    def counted_score(self, step: int) -> float | None:
        """The self-score of the step's take that counts (the latest, unless another was picked);
        None if that take is not self-assessed (walked: the report averaged a retake with the take
        it replaced, 50 where the campaign showed the trainee 100)."""
        take = counted_of(self.takes.get(step, ()), _started, _chosen)
        own = take.by(RaterKind.SELF) if take else None
        return own.score if own else None

    def repeat_share(self) -> float | None:
        return self.repeated / self.compared if self.compared else None


def note_campaign_take(lines: dict[tuple[str, str], CampaignLine], summary: AttemptSummary) -> None:
    """Count one attempt summary into the campaign lines, if it is a campaign's step."""
    campaign_id = summary.campaign_id or ""
    step = summary.campaign_step or 0
    if not campaign_id or not step:
        return
    key = (summary.trainee, campaign_id)
    line = lines.setdefault(key, CampaignLine(*key))
    line.takes.setdefault(step, []).append(summary)
    new = summary.something_new
    if new is not None and step > 1:  # a first message has nothing to repeat
        line.compared += 1
        line.repeated += new is False


def _started(summary: AttemptSummary) -> datetime:
    return datetime.fromisoformat(summary.started_at)


def _chosen(summary: AttemptSummary) -> datetime | None:
    return datetime.fromisoformat(summary.chosen_at) if summary.chosen_at else None


def steps_in(scenarios: Mapping[str, Scenario], line: CampaignLine) -> int:
    """The campaign's number of steps, if its steps are among ``scenarios`` (see
    :func:`simulator.campaign_loader.with_steps`); else the furthest step seen."""
    first = scenarios.get(f"{line.campaign_id}{STEP_SEPARATOR}1")
    if first is not None and first.campaign is not None:
        return first.campaign.steps
    return max(line.steps_done, default=0)


def campaign_rows(
    lines: Mapping[tuple[str, str], CampaignLine], scenarios: Mapping[str, Scenario] | None = None
) -> list[tuple[str, str, str, str, str]]:
    """(trainee, campaign, "2 of 5", "1: 80  2: 71 (of 2)", "1 of 3") rows, by trainee then campaign:
    each step's counted score, and how many takes it had if more than one."""
    rows = []
    for (trainee, campaign_id), line in sorted(lines.items(), key=lambda kv: (kv[0][0].casefold(), kv[0][1])):
        total = steps_in(scenarios or {}, line)
        averages = "  ".join(
            f"{step}: {points(score)}"
            + (f" (of {len(line.takes[step])})" if len(line.takes[step]) > 1 else "")
            for step in sorted(line.takes)
            if (score := line.counted_score(step)) is not None
        )
        repeats = f"{line.repeated} of {line.compared}" if line.compared else "-"
        rows.append((trainee, campaign_id, f"{len(line.steps_done)} of {total}", averages or "-", repeats))
    return rows
