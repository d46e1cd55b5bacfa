"""Session scores out of the recordings folder: TOML for programs, CSV for spreadsheets.

Both stream: attempts are read and written one at a time, so memory does not grow with the class.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

import tomli_w

from simulator.records import RecordError, attempt_to_dict, load_record
from simulator.scenario_loader import Library
from simulator.scenarios import Scale

FIXED_COLUMNS = [
    "date",
    "trainee",
    "scenario",
    "rater",
    "rater_name",
    "length_s",
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

    def accepts(self, summary: dict[str, Any]) -> bool:
        day = datetime.fromisoformat(summary["started_at"]).date()
        return (
            (self.trainee is None or summary["trainee"].casefold() == self.trainee.casefold())
            and (self.scenario is None or summary["scenario_id"] == self.scenario)
            and (self.since is None or day >= self.since)
            and (self.until is None or day <= self.until)
            and (self.drill is None or summary.get("drill_id") == self.drill)
            and (self.campaign is None or summary.get("campaign_id") == self.campaign)
        )

    def raters(self, assessments: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [a for a in assessments if self.rater == "all" or a["rater"] == self.rater]


def csv_rows(
    summaries: Iterable[dict[str, Any]],
    filters: Filters,
    criteria: list[str],
    yes_no: frozenset[tuple[str, str]] = frozenset(),
) -> Iterator[list[Any]]:
    """One row per attempt and rater (an unassessed attempt, if asked for: one row "not assessed").
    Ratings on a yes/no criterion (``yes_no``: scenario and criterion ids) read "yes" and "no"."""
    for summary in summaries:
        if not filters.accepts(summary):
            continue
        assessments = filters.raters(summary["assessments"])
        if not assessments and (filters.rater != "all" or not filters.unassessed):
            continue
        base = [
            summary["started_at"],
            neutralise(summary["trainee"]),
            neutralise(summary["scenario_id"]),
        ]
        tail = [
            f"{summary['duration_s']:.1f}",
            "" if summary.get("words") is None else summary["words"],
            {True: "yes", False: "no"}.get(summary.get("words_sure"), ""),
        ]
        ids = [neutralise(summary["id"]), neutralise(summary.get("drill_id") or "")]
        ids += [neutralise(summary.get("campaign_id") or ""), summary.get("campaign_step") or ""]
        for assessment in assessments or [None]:
            if assessment is None:
                yield [*base, NOT_ASSESSED, "", *tail, "", "", *ids] + [""] * len(criteria)
                continue
            ratings = assessment["ratings"]
            yield [
                *base,
                assessment["rater"],
                neutralise(assessment["rater_name"]),
                *tail,
                assessment["score"],
                assessment["timing_verdict"],
                *ids,
                *[_rating_cell(ratings.get(c, ""), (summary["scenario_id"], c) in yes_no) for c in criteria],
            ]


def _rating_cell(level: object, yes_no: bool) -> object:
    """A rating as a spreadsheet should show it: "yes"/"no" on a yes/no criterion, else the level."""
    if yes_no and level in (0, 1):
        return "yes" if level else "no"
    return level


def write_csv(
    summaries: Iterable[dict[str, Any]],
    filters: Filters,
    criteria: list[str],
    out: TextIO,
    *,
    bom: bool = False,
    library: Library | None = None,
) -> int:
    """Write the CSV; returns the number of data rows. With the ``library``, criterion columns are
    headed by their labels and yes/no ratings read "yes" and "no"."""
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    labels = criterion_labels(library, criteria) if library else criteria
    writer.writerow(FIXED_COLUMNS + [neutralise(c) for c in labels])  # rating names come from records
    yes_no = frozenset(
        (s.id, c.id) for s in (library.ordered() if library else []) for c in s.rubric.criteria
        if c.scale is Scale.YES_NO
    )  # fmt: skip
    count = 0
    for row in csv_rows(summaries, filters, criteria, yes_no):
        writer.writerow(row)
        count += 1
    return count


def write_toml(
    summaries: Iterable[dict[str, Any]], filters: Filters, out: TextIO, problems: list[RecordError]
) -> int:
    """One document, an ``[[attempt]]`` table per attempt with its (filtered) assessments."""
    out.write(tomli_w.dumps({"format": "voicemail-simulator-export", "version": 1}))
    count = 0
    for summary in summaries:
        if not filters.accepts(summary):
            continue
        try:
            attempt = load_record(Path(summary["record_path"]))
        except RecordError as error:
            problems.append(error)
            continue
        document = attempt_to_dict(attempt)
        document["assessment"] = filters.raters(document["assessment"])
        if not document["assessment"] and filters.rater != "all":
            continue
        out.write("\n")
        out.write(tomli_w.dumps({"attempt": [document]}))
        count += 1
    return count


def csv_columns(
    summaries: Iterable[dict[str, Any]], filters: Filters, known: Iterable[str] = ()
) -> list[str]:
    """Criterion columns for the CSV: those rated in the exported rows, in the library's order first."""
    used: dict[str, None] = {}
    for summary in summaries:
        if filters.accepts(summary):
            for assessment in filters.raters(summary["assessments"]):
                used.update(dict.fromkeys(assessment["ratings"]))
    ordered = [c for c in dict.fromkeys(known) if c in used]
    return ordered + [c for c in used if c not in set(ordered)]


def export_csv(
    read: Callable[[], Iterable[dict[str, Any]]],
    filters: Filters,
    library: Library,
    out: TextIO,
    bom: bool = False,
) -> int:
    """The CSV of the summaries ``read()`` gives, read twice so that memory does not grow with the
    class: once for the criterion columns (the library's order first), then for the rows. Returns
    the number of rows."""
    scenarios = [s for s in library.ordered() if filters.scenario in (None, s.id)]
    known = [c.id for s in scenarios for c in s.rubric.criteria]
    columns = csv_columns(read(), filters, known) or list(dict.fromkeys(known))  # an empty export too
    return write_csv(read(), filters, columns, out, bom=bom, library=library)


def criterion_labels(library: Library, criteria: list[str]) -> list[str]:
    """A column heading per criterion id: its label, where every scenario labels it alike, else the
    id written out ("a-reason" is "A reason that is about Anne" in one scenario, "…Daniel" in
    another); a criterion no scenario knows keeps its id."""
    labels: dict[str, set[str]] = {}
    for scenario in library.ordered():
        for criterion in scenario.rubric.criteria:
            labels.setdefault(criterion.id, set()).add(criterion.label)
    headings = []
    for criterion_id in criteria:
        known = labels.get(criterion_id, set())
        if not known:
            headings.append(criterion_id)
        elif len(known) == 1:
            headings.append(next(iter(known)))
        else:
            headings.append(criterion_id.replace("-", " ").capitalize())
    return headings
