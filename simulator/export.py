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

FIXED_COLUMNS = [
    "date",
    "trainee",
    "scenario",
    "rater",
    "rater_name",
    "length_s",
    "words",
    "score",
    "timing_verdict",
    "attempt_id",
]
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

    def accepts(self, summary: dict[str, Any]) -> bool:
        day = datetime.fromisoformat(summary["started_at"]).date()
        return (
            (self.trainee is None or summary["trainee"].casefold() == self.trainee.casefold())
            and (self.scenario is None or summary["scenario_id"] == self.scenario)
            and (self.since is None or day >= self.since)
            and (self.until is None or day <= self.until)
            and (self.drill is None or summary.get("drill_id") == self.drill)
        )

    def raters(self, assessments: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [a for a in assessments if self.rater == "all" or a["rater"] == self.rater]


def csv_rows(
    summaries: Iterable[dict[str, Any]], filters: Filters, criteria: list[str]
) -> Iterator[list[Any]]:
    """One row per attempt and rater (an unassessed attempt: one row without a rater)."""
    for summary in summaries:
        if not filters.accepts(summary):
            continue
        assessments = filters.raters(summary["assessments"])
        if not assessments and filters.rater != "all":
            continue
        base = [
            summary["started_at"],
            neutralise(summary["trainee"]),
            neutralise(summary["scenario_id"]),
        ]
        tail = [summary["duration_s"], "" if summary.get("words") is None else summary["words"]]
        for assessment in assessments or [None]:
            if assessment is None:
                row = [*base, "", "", *tail, "", "", neutralise(summary["id"])]
                yield row + [""] * len(criteria)
                continue
            ratings = assessment["ratings"]
            yield [
                *base,
                assessment["rater"],
                neutralise(assessment["rater_name"]),
                *tail,
                assessment["score"],
                assessment["timing_verdict"],
                neutralise(summary["id"]),
                *[ratings.get(c, "") for c in criteria],
            ]


def write_csv(
    summaries: Iterable[dict[str, Any]], filters: Filters, criteria: list[str], out: TextIO, bom: bool = False
) -> int:
    """Write the CSV; returns the number of data rows."""
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIXED_COLUMNS + [neutralise(c) for c in criteria])  # rating names come from records
    count = 0
    for row in csv_rows(summaries, filters, criteria):
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
    known = [c.id for s in library.ordered() for c in s.rubric.criteria]
    columns = csv_columns(read(), filters, known)
    return write_csv(read(), filters, columns, out, bom=bom)
