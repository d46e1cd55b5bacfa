"""``voicemail-sim export | report``: the saved attempts of one or more data folders, as a TOML or
CSV export and as the class report."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from simulator.cli.common import CommandError, data_dir, rubric_library
from simulator.export import Filters, export_csv, write_toml
from simulator.fileio import atomic_text_writer
from simulator.locations import record_index_dir
from simulator.record_index import RecordIndex, ScanResult, merged_summaries
from simulator.report import build_report, render_text
from simulator.report_html import render_html
from simulator.store import Store
from simulator.summaries import AttemptSummary

RESCAN_HELP = "re-read every record, not just changed folders (after editing records by hand)"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-24") from None


def _indexes(args: argparse.Namespace) -> list[RecordIndex]:
    """The data folders named after the command, else the app's --data folder, else the default."""
    folders: list[Path] = args.data_dirs or [data_dir(args)]
    missing = [f for f in folders if not f.is_dir()]
    if missing:
        raise CommandError(f"no such data folder: {missing[0]}")
    return [RecordIndex(record_index_dir(), Store(folder)) for folder in folders]


def _report_problems(*results: ScanResult) -> None:
    """Each record that could not be used, once, by path with the reason (an export reads the
    records twice, and may meet the same problem on each pass)."""
    for problem in dict.fromkeys(str(p) for result in results for p in result.problems):
        print(f"skipped: {problem}", file=sys.stderr)


def _write_csv(
    args: argparse.Namespace, indexes: list[RecordIndex], filters: Filters, result: ScanResult, out: TextIO
) -> int:
    rescans = iter((args.rescan, False))

    def read() -> Iterator[AttemptSummary]:  # the first reading brings the index up to date (--rescan)
        return merged_summaries(indexes, result, next(rescans))

    return export_csv(read, filters, rubric_library(args), out, bom=args.bom)


def cmd_export(args: argparse.Namespace) -> int:
    indexes = _indexes(args)
    filters = Filters(
        args.trainee,
        args.scenario,
        args.since,
        args.until,
        args.rater,
        args.drill,
        args.unassessed,
        args.campaign,
    )
    result = ScanResult()
    target = atomic_text_writer(args.out_file) if args.out_file else nullcontext(sys.stdout)
    with target as out:
        out_stream: TextIO = out
        if args.format == "csv":
            count = _write_csv(args, indexes, filters, result, out_stream)
        else:
            summaries = merged_summaries(indexes, result, args.rescan)
            count = write_toml(summaries, filters, out_stream, result.problems)
    _report_problems(result)
    where = f" to {args.out_file}" if args.out_file else ""
    noun = ("row" if args.format == "csv" else "attempt") + ("" if count == 1 else "s")
    print(f"exported {count} {noun}{where}", file=sys.stderr)
    if count == 0 and (why := filters.unmatched(merged_summaries(indexes, ScanResult(), False))):
        print(f"error: {why}", file=sys.stderr)
        return 1
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    indexes = _indexes(args)
    result = ScanResult()
    library = rubric_library(args)
    report = build_report(merged_summaries(indexes, result, args.rescan), library)
    _report_problems(result)
    if args.html:
        with atomic_text_writer(args.html) as out:
            out.write(render_html(report, library))
        print(f"wrote {args.html}", file=sys.stderr)
    else:
        print(render_text(report, library))
    return 0


def add_commands(sub: Any) -> None:
    export = sub.add_parser("export", help="export scores as TOML or CSV (stdout unless -o)")
    export.add_argument("data_dirs", nargs="*", type=Path, metavar="DATA_DIR", help="data folders to merge")
    export.add_argument("--format", choices=("toml", "csv"), default="toml")
    export.add_argument("--trainee", metavar="NAME")
    export.add_argument("--scenario", metavar="ID")
    export.add_argument("--since", type=_day, metavar="DATE", help="from this day (YYYY-MM-DD)")
    export.add_argument("--until", type=_day, metavar="DATE", help="up to and including this day")
    export.add_argument("--rater", choices=("self", "instructor", "peer", "all"), default="all")
    export.add_argument("--drill", metavar="ID", help="only this drill's attempts")
    export.add_argument("--campaign", metavar="ID", help="only this campaign's steps")
    export.add_argument(
        "--unassessed", action="store_true", help="CSV: also a row for each take no one has assessed"
    )
    export.add_argument("--bom", action="store_true", help="CSV: start with a UTF-8 byte order mark (Excel)")
    export.add_argument(
        "-o", "--output", dest="out_file", type=Path, metavar="FILE", help="write FILE atomically"
    )
    export.add_argument("--rescan", action="store_true", help=RESCAN_HELP)
    export.set_defaults(func=cmd_export)

    report = sub.add_parser("report", help="the class report, merged from one or more data folders")
    report.add_argument("data_dirs", nargs="*", type=Path, metavar="DATA_DIR")
    report.add_argument("--html", type=Path, metavar="FILE", help="write a self-contained HTML report")
    report.add_argument("--rescan", action="store_true", help=RESCAN_HELP)
    report.set_defaults(func=cmd_report)
