"""Session scores out of the recordings folder: TOML for programs, CSV for spreadsheets.

Both stream: attempts are read and written one at a time, so memory does not grow with the class.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

import tomli_w

from simulator.names import terminal_safe
from simulator.records import RecordError, attempt_to_dict, load_record
from simulator.scenario_loader import Library
from simulator.scenarios import Scale
from simulator.summaries import AttemptSummary, ScoreSummary

FIXED_COLUMNS = [
    "date",
    "trainee",
    "scenario",
    "rater",
    "rater_name",
    "length_s",  # the recording
    "message_s",  # beep to last word: what the timing verdict judges
    "words",
    "words_sure",  # "no": the coach doubted the count (⚠ listen back)
    "score",
    "timing_verdict",
    "attempt_id",
    "drill_id",
    "campaign",
    "campaign_step",
]
NOT_ASSESSED = "not assessed"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Text a spreadsheet would run as a formula (``=cmd()``, ``@SUM``) is kept as text."""
    return f"'{cell}" if cell.startswith(_FORMULA_START) else cell


MAX_LISTED = 12  # the names listed when a filter matches nothing


@dataclass(frozen=True)
class Filters:
    trainee: str | None = None
    scenario: str | None = None
    since: date | None = None
    until: date | None = None
    rater: str = "all"  # self | instructor | peer | all
    drill: str | None = None
    unassessed: bool = False  # CSV: a row for each take no one has assessed yet
    campaign: str | None = None  # only this campaign's steps

    def accepts(self, summary: AttemptSummary) -> bool:
        day = datetime.fromisoformat(summary.started_at).date()
        return (
            (self.trainee is None or summary.trainee.casefold() == self.trainee.casefold())
            and (self.scenario is None or summary.scenario_id == self.scenario)
            and (self.since is None or day >= self.since)
            and (self.until is None or day <= self.until)
            and (self.drill is None or summary.drill_id == self.drill)
            and (self.campaign is None or summary.campaign_id == self.campaign)
        )

    def unmatched(self, summaries: Iterable[AttemptSummary]) -> str | None:
        """Which named filter no attempt matches at all, with the names the data holds (walked:
        ``--trainee Sam`` for "Sam Patel" exported 0 rows and said nothing); None if each matches."""
        named = (
            ("trainee", self.trainee, lambda s: s.trainee),
            ("scenario", self.scenario, lambda s: s.scenario_id),
            ("campaign", self.campaign, lambda s: s.campaign_id),
        )  # not --drill: its id is the one a drill's summary gives, and a drill may have no takes yet
        every = list(summaries)
        for flag, wanted, key in named:
            if wanted is None:
                continue
            known = sorted({key(s) for s in every if key(s)}, key=str.casefold)
            fold = str.casefold if flag == "trainee" else str  # as accepts() compares them
            if fold(wanted) not in {fold(k) for k in known}:
                listed = ", ".join(terminal_safe(k) for k in known[:MAX_LISTED]) or "none"
                more = f" and {len(known) - MAX_LISTED} more" if len(known) > MAX_LISTED else ""
                return f"no attempt has --{flag} {terminal_safe(wanted)!r}; the data holds: {listed}{more}"
        return None

    def wants(self, rater_kind: str) -> bool:
        """Whether the export keeps assessments by this kind of rater ("self", "instructor", "peer")."""
        return self.rater in ("all", rater_kind)

    def raters(self, assessments: Iterable[ScoreSummary]) -> list[ScoreSummary]:
        return [a for a in assessments if self.wants(a.rater.value)]


@dataclass(frozen=True)
class RatingColumn:
    """A CSV column of ratings: one criterion, as every scenario rating it on the same scale does,
    or in one scenario only (``number-slowly`` is 0-2 in one scenario and yes/no in another: one
    column would mix the two)."""

    criterion_id: str
    scenario_id: str | None = None  # None: this criterion in every scenario
    heading: str = ""  # "" : the criterion id

    def rating(self, summary: AttemptSummary, assessment: ScoreSummary) -> object:
        if self.scenario_id not in (None, summary.scenario_id):
            return ""
        return assessment.ratings.get(self.criterion_id, "")


def csv_rows(
    summaries: Iterable[AttemptSummary],
    filters: Filters,
    columns: list[RatingColumn],
    yes_no: frozenset[tuple[str, str]] = frozenset(),
) -> Iterator[list[object]]:
    """One row per attempt and rater (an unassessed attempt, if asked for: one row "not assessed").
    Ratings on a yes/no criterion (``yes_no``: scenario and criterion ids) read "yes" and "no"."""
    for summary in summaries:
        if not filters.accepts(summary):
            continue
        assessments = filters.raters(summary.assessments)
        if not assessments and (filters.rater != "all" or not filters.unassessed):
            continue
        base: list[object] = [summary.started_at, neutralise(summary.trainee)]
        base.append(neutralise(summary.scenario_id))
        tail = [
            f"{summary.duration_s:.1f}",
            f"{summary.message_s:.1f}",
            "" if summary.words is None else summary.words,
            "" if summary.words_sure is None else "yes" if summary.words_sure else "no",
        ]
        ids = [neutralise(summary.id), neutralise(summary.drill_id or "")]
        ids += [neutralise(summary.campaign_id or ""), summary.campaign_step or ""]
        if not assessments:
            yield [*base, NOT_ASSESSED, "", *tail, "", "", *ids] + [""] * len(columns)
        for assessment in assessments:
            yield [
                *base,
                assessment.rater.value,
                neutralise(assessment.rater_name),
                *tail,
                assessment.score,
                assessment.timing_verdict.value,
                *ids,
                *[
                    _rating_cell(
                        column.rating(summary, assessment),
                        (summary.scenario_id, column.criterion_id) in yes_no,
                    )
                    for column in columns
                ],
            ]


def _rating_cell(level: object, yes_no: bool) -> object:
    """A rating as a spreadsheet should show it: "yes"/"no" on a yes/no criterion, else the level."""
    if yes_no and level in (0, 1):
        return "yes" if level else "no"
    return level


def write_csv(
    summaries: Iterable[AttemptSummary],
    filters: Filters,
    columns: list[RatingColumn],
    out: TextIO,
    *,
    bom: bool = False,
    library: Library | None = None,
) -> int:
    """Write the CSV; returns the number of data rows. With the ``library``, yes/no ratings read
    "yes" and "no"."""
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    headings = [c.heading or c.criterion_id for c in columns]
    writer.writerow(FIXED_COLUMNS + [neutralise(h) for h in headings])  # rating names come from records
    yes_no = frozenset(
        (s.id, c.id) for s in (library.ordered() if library else []) for c in s.rubric.criteria
        if c.scale is Scale.YES_NO
    )  # fmt: skip
    count = 0
    for row in csv_rows(summaries, filters, columns, yes_no):
        writer.writerow(row)
        count += 1
    return count


def write_toml(
    summaries: Iterable[AttemptSummary], filters: Filters, out: TextIO, problems: list[RecordError]
) -> int:
    """One document, an ``[[attempt]]`` table per attempt with its (filtered) assessments."""
    out.write(tomli_w.dumps({"format": "voicemail-simulator-export", "version": 1}))
    count = 0
    for summary in summaries:
        if not filters.accepts(summary):
            continue
        try:
            attempt = load_record(Path(summary.record_path))
        except RecordError as error:
            problems.append(error)
            continue
        document = attempt_to_dict(attempt)
        document["assessment"] = [a for a in document["assessment"] if filters.wants(a["rater"])]
        if not document["assessment"] and filters.rater != "all":
            continue
        out.write("\n")
        out.write(tomli_w.dumps({"attempt": [document]}))
        count += 1
    return count


def rated(summaries: Iterable[AttemptSummary], filters: Filters) -> list[tuple[str, str]]:
    """The (scenario id, criterion id) pairs rated in the exported rows, in the order first met."""
    used: dict[tuple[str, str], None] = {}
    for summary in summaries:
        if filters.accepts(summary):
            for assessment in filters.raters(summary.assessments):
                used.update(dict.fromkeys((summary.scenario_id, c) for c in assessment.ratings))
    return list(used)


def export_csv(
    read: Callable[[], Iterable[AttemptSummary]],
    filters: Filters,
    library: Library,
    out: TextIO,
    bom: bool = False,
) -> int:
    """The CSV of the summaries ``read()`` gives, read twice so that memory does not grow with the
    class: once for the criterion columns (the library's order first), then for the rows. Returns
    the number of rows."""
    scenarios = [s for s in library.ordered() if filters.scenario in (None, s.id)]
    known = [(s.id, c.id) for s in scenarios for c in s.rubric.criteria]
    columns = rating_columns(library, rated(read(), filters) or known)  # an empty export: the library's
    return write_csv(read(), filters, columns, out, bom=bom, library=library)


def rating_columns(library: Library, used: list[tuple[str, str]]) -> list[RatingColumn]:
    """The rating columns for the (scenario, criterion) pairs ``used``, the library's order first.

    A criterion rated on one scale wherever it is used is one column, headed by its label where
    every scenario labels it alike, else by its id written out ("a-reason" is "A reason that is
    about Anne" in one scenario, "…Daniel" in another). Rated on different scales, it is a column
    per scenario, "Number, slowly (meeting-confirmation)". A criterion no scenario knows keeps its id.
    """
    criteria = {(s.id, c.id): c for s in library.ordered() for c in s.rubric.criteria}
    order = {pair: n for n, pair in enumerate(criteria)}
    pairs = sorted(dict.fromkeys(used), key=lambda pair: order.get(pair, len(order)))
    by_criterion: dict[str, list[str]] = {}
    for scenario_id, criterion_id in pairs:
        by_criterion.setdefault(criterion_id, []).append(scenario_id)
    columns: list[RatingColumn] = []
    for criterion_id, scenario_ids in by_criterion.items():
        known = [criteria[(s, criterion_id)] for s in scenario_ids if (s, criterion_id) in criteria]
        labels = {c.label for c in known}
        if len({c.scale for c in known}) <= 1:
            shared = next(iter(labels)) if len(labels) == 1 else criterion_id.replace("-", " ").capitalize()
            columns.append(RatingColumn(criterion_id, None, shared if known else criterion_id))
            continue
        for scenario_id in scenario_ids:
            criterion = criteria.get((scenario_id, criterion_id))
            label = criterion.label if criterion else criterion_id
            columns.append(RatingColumn(criterion_id, scenario_id, f"{label} ({scenario_id})"))
    return columns
