"""The class report: per trainee, per scenario, per criterion, and self against instructor.

Built in one streaming pass over attempt summaries (see :mod:`simulator.record_index`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from statistics import fmean

from simulator.attempts import RaterKind, points
from simulator.names import fit_cells, terminal_safe
from simulator.report_campaigns import CampaignLine, campaign_rows, note_campaign_take
from simulator.scenario_loader import Library
from simulator.scenarios import Criterion
from simulator.summaries import AttemptSummary

SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float], width: int = 12) -> str:
    shown = values[-width:]
    return "".join(SPARK[min(7, max(0, int(v / 100 * 7.999)))] for v in shown)


@dataclass
class TraineeLine:
    name: str
    attempts: int = 0
    self_scores: list[tuple[str, float]] = field(default_factory=list)  # (started_at, score)
    instructor_scores: list[float] = field(default_factory=list)
    instructor_points: list[tuple[str, float]] = field(default_factory=list)  # (started_at, score)
    gaps: list[float] = field(default_factory=list)  # self minus instructor, same attempt

    @property
    def trend(self) -> list[float]:
        return [score for _, score in sorted(self.self_scores)]

    @property
    def best(self) -> float | None:
        return max(self.trend, default=None)

    @property
    def latest(self) -> float | None:
        return self.trend[-1] if self.self_scores else None


@dataclass
class ScenarioLine:
    scenario_id: str
    title: str
    attempts: int = 0
    scores: list[float] = field(default_factory=list)
    lengths: list[float] = field(default_factory=list)


@dataclass
class CriterionLine:
    scenario_id: str
    criterion_id: str
    rated: int = 0
    met: int = 0
    by_instructor: int = 0  # of the rated takes, those judged by the instructor (the rest: self-rated)
    self_minus_instructor: list[float] = field(default_factory=list)  # in fractions of the scale

    @property
    def met_share(self) -> float:
        return self.met / self.rated if self.rated else 0.0


@dataclass
class ClassReport:
    trainees: dict[str, TraineeLine] = field(default_factory=dict)
    scenarios: dict[str, ScenarioLine] = field(default_factory=dict)
    criteria: dict[tuple[str, str], CriterionLine] = field(default_factory=dict)
    attempts: int = 0
    first: str = ""
    last: str = ""
    campaigns: dict[tuple[str, str], CampaignLine] = field(default_factory=dict)  # (trainee, campaign)
    instructors: dict[str, int] = field(default_factory=dict)  # name ("" unnamed) -> takes they scored

    def most_missed(self, count: int = 3) -> list[CriterionLine]:
        """The criteria met least often; one the class always meets is not missed."""
        rated = [c for c in self.criteria.values() if c.rated and c.met < c.rated]
        return sorted(rated, key=lambda c: (c.met_share, -c.rated))[:count]


def _scale_tops(library: Library | None) -> dict[tuple[str, str], int]:
    """The top of each criterion's scale, for the scenarios the library knows."""
    if library is None:
        return {}
    return {(s.id, c.id): c.scale.top for s in library.scenarios.values() for c in s.rubric.criteria}


def build_report(summaries: Iterable[AttemptSummary], library: Library | None = None) -> ClassReport:
    report = ClassReport()
    tops_by_scenario: dict[str, dict[str, int]] = {}
    for (scenario_id, criterion_id), top in _scale_tops(library).items():
        tops_by_scenario.setdefault(scenario_id, {})[criterion_id] = top
    per_scenario: dict[str, dict[str, CriterionLine]] = {}
    trainees, scenarios, criteria = report.trainees, report.scenarios, report.criteria
    for summary in summaries:
        report.attempts += 1
        started = summary.started_at
        if not report.first or started < report.first:
            report.first = started
        report.last = max(report.last, started)
        trainee = trainees.get(summary.trainee)
        if trainee is None:
            trainee = trainees[summary.trainee] = TraineeLine(summary.trainee)
        trainee.attempts += 1
        scenario_id = summary.scenario_id
        scenario = scenarios.get(scenario_id)
        if scenario is None:
            scenario = scenarios[scenario_id] = ScenarioLine(scenario_id, summary.scenario_title)
        scenario.attempts += 1
        scenario.lengths.append(summary.message_s)  # as the target judges it: beep to last word
        note_campaign_take(report.campaigns, summary)
        own, instructor = summary.by(RaterKind.SELF), summary.by(RaterKind.INSTRUCTOR)
        if own is not None:
            trainee.self_scores.append((started, own.score))
            scenario.scores.append(own.score)
        if instructor is not None:
            report.instructors[instructor.rater_name] = report.instructors.get(instructor.rater_name, 0) + 1
            trainee.instructor_scores.append(instructor.score)
            trainee.instructor_points.append((started, instructor.score))
            if own is not None:
                trainee.gaps.append(own.score - instructor.score)
        judged = instructor or own  # the instructor's view of what was met, where there is one
        if judged is None:
            continue
        own_ratings = own.ratings if own is not None and instructor is not None else None
        tops = tops_by_scenario.get(scenario_id, {})
        lines = per_scenario.setdefault(scenario_id, {})
        marked = instructor is not None
        _count_criteria(lines, scenario_id, judged.ratings, own_ratings, tops, by_instructor=marked)
    for scenario_id, lines in per_scenario.items():
        for criterion_id, line in lines.items():
            criteria[(scenario_id, criterion_id)] = line
    return report


def _count_criteria(
    lines: dict[str, CriterionLine],
    scenario_id: str,
    ratings: Mapping[str, int],
    own_ratings: Mapping[str, int] | None,
    tops: dict[str, int],
    *,
    by_instructor: bool,
) -> None:
    """Count one take's ratings into its scenario's criterion lines."""
    for criterion_id, level in ratings.items():
        line = lines.get(criterion_id)
        if line is None:
            line = lines[criterion_id] = CriterionLine(scenario_id, criterion_id)
        top = tops.get(criterion_id) or max(1, level)
        line.rated += 1
        line.by_instructor += by_instructor
        if level >= top:
            line.met += 1
        if own_ratings is not None and criterion_id in own_ratings:
            line.self_minus_instructor.append((own_ratings[criterion_id] - level) / top)


def judged_by(line: CriterionLine) -> str:
    """Whose ratings a criterion's figure comes from: the instructor's where there is one."""
    if line.by_instructor == line.rated:
        return "the instructor's ratings"
    if not line.by_instructor:
        return "self-ratings only"
    return f"the instructor's on {line.by_instructor}, self-ratings on {line.rated - line.by_instructor}"


def criterion_of(library: Library | None, line: CriterionLine) -> Criterion | None:
    if library is None or line.scenario_id not in library.scenarios:
        return None
    try:
        return library.scenarios[line.scenario_id].rubric.criterion(line.criterion_id)
    except KeyError:
        return None


def target_window(library: Library | None, scenario_id: str) -> str:
    """A scenario's target length window as text ("12-30 s"), or "-" when it is not in the library."""
    if library is None or scenario_id not in library.scenarios:
        return "-"
    targets = library.scenarios[scenario_id].targets
    return f"{targets.min_seconds:g}-{targets.max_seconds:g} s"


def _score(value: float | None) -> str:
    return "-" if value is None else str(points(value))


def _cell(text: str, width: int) -> str:
    """``text`` for a table column: control characters escaped (names come from people), then cut
    or padded to the column's width in terminal cells."""
    return fit_cells(terminal_safe(text), width)


def counted(count: int, noun: str) -> str:
    """ "1 attempt", "2 attempts": a count with its noun, plural where it should be."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def instructors_line(report: ClassReport) -> str:
    """Who gave the instructor's scores: "Instructor's scores by Ms Hall (3 takes) and an
    unnamed instructor (1 take)"; "" where no take has one."""
    if not report.instructors:
        return ""
    named = sorted(report.instructors.items(), key=lambda item: (not item[0], item[0].casefold()))
    parts = [
        f"{terminal_safe(name) or 'an unnamed instructor'} ({counted(takes, 'take')})"
        for name, takes in named
    ]
    listed = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    return f"Instructor's scores by {listed}"


# under the trainees' table (walked: "+11" beside latest 35 and instructor 14 was read as wrong)
GAP_SAID = "  gap: self-score minus the instructor's on the same takes, averaged over them"


def render_text(report: ClassReport, library: Library | None = None) -> str:
    """The report as plain text tables for a terminal; every name, id and label is terminal-safe."""
    if not report.attempts:
        return "No attempts found."
    span = f"{report.first[:10]} to {report.last[:10]}"
    out = [f"Class report: {counted(report.attempts, 'attempt')}, {span}"]
    out += [instructors_line(report), ""] if report.instructors else [""]
    out.append("TRAINEES (self-scores; instructor where given)")
    out.append(f"  {'trainee':<24} {'tries':>5} {'best':>5} {'latest':>6} {'instr':>6} {'gap':>5}  trend")
    for line in sorted(report.trainees.values(), key=lambda t: t.name.casefold()):
        instructor = fmean(line.instructor_scores) if line.instructor_scores else None
        gap = f"{fmean(line.gaps):+.0f}" if line.gaps else "-"
        out.append(
            f"  {_cell(line.name, 24)} {line.attempts:>5} {_score(line.best):>5} {_score(line.latest):>6} "
            f"{_score(instructor):>6} {gap:>5}  {sparkline(line.trend)}"
        )
    out += [GAP_SAID] * any(line.gaps for line in report.trainees.values()) + ["", "SCENARIOS"]
    out.append(f"  {'scenario':<24} {'tries':>5} {'avg':>5} {'avg length':>11}  target")
    for line in sorted(report.scenarios.values(), key=lambda s: s.scenario_id):
        window = target_window(library, line.scenario_id)
        average = fmean(line.scores) if line.scores else None
        out.append(
            f"  {_cell(line.scenario_id, 24)} {line.attempts:>5} {_score(average):>5} "
            f"{fmean(line.lengths):>9.1f} s  {window}"
        )
    out += ["", "WHAT THE CLASS MISSES MOST (the instructor's ratings where given, else the trainee's)"]
    for line in report.most_missed():
        criterion = criterion_of(library, line)
        label = terminal_safe(criterion.label if criterion else line.criterion_id)
        out.append(
            f"  {label} ({terminal_safe(line.scenario_id)}): met in {line.met}/{line.rated} "
            f"({line.met_share:.0%}; {judged_by(line)})"
        )
        if criterion is not None:
            out.append("      " + terminal_safe(criterion.cited_advice, keep="\n").replace("\n", "\n      "))
    if report.campaigns:
        out += [
            "",
            "CAMPAIGNS (steps done, the self-score of the take that counts at each step, messages that "
            "repeated the one before)",
        ]
        out.append(f"  {'trainee':<24} {'campaign':<20} {'steps':>7}  {'per step':<30} repeats")
        for trainee, campaign_id, steps, averages, repeats in campaign_rows(
            report.campaigns, library.scenarios if library else None
        ):
            out.append(
                f"  {_cell(trainee, 24)} {_cell(campaign_id, 20)} {steps:>7}  {averages:<30} {repeats}"
            )
    gaps = [c for c in report.criteria.values() if c.self_minus_instructor]
    if gaps:
        out += ["", "SELF AGAINST INSTRUCTOR, BY CRITERION (+: self higher; in fractions of the scale)"]
        for line in sorted(gaps, key=lambda c: -abs(fmean(c.self_minus_instructor))):
            criterion = criterion_of(library, line)
            label = criterion.label if criterion else line.criterion_id
            out.append(
                f"  {_cell(label, 40)} {fmean(line.self_minus_instructor):+.2f}  "
                f"({terminal_safe(line.scenario_id)})"
            )
    return "\n".join(out)
