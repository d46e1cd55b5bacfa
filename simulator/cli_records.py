"""Command-line commands over the saved attempts: export and the class report."""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from simulator.export import Filters, csv_columns, write_csv, write_toml
from simulator.fileio import atomic_text_writer
from simulator.locations import cache_dir, default_data_dir, scenario_folders
from simulator.record_index import RecordIndex, ScanResult, merged_summaries
from simulator.report import build_report, render_text
from simulator.report_html import render_html
from simulator.scenario_loader import Library, load_library
from simulator.store import Store

RESCAN_HELP = "re-read every record, not just changed folders (after editing records by hand)"


def _command_error(message: str) -> Exception:
    from simulator.cli import CommandError

    return CommandError(message)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-24") from None


def indexes_for(folders: list[Path]) -> list[RecordIndex]:
    missing = [f for f in folders if not f.is_dir()]
    if missing:
        raise _command_error(f"no such data folder: {missing[0]}")
    return [RecordIndex(cache_dir() / "index", Store(folder)) for folder in folders]


def _report_problems(*results: ScanResult) -> None:
    """Each record that could not be used, once, by path with the reason (an export reads the
    records twice, and may meet the same problem on each pass)."""
    for problem in dict.fromkeys(str(p) for result in results for p in result.problems):
        print(f"skipped: {problem}", file=sys.stderr)


def _library(args: argparse.Namespace) -> Library:
    return load_library(scenario_folders(args.scenarios))


def _data_folders(args: argparse.Namespace) -> list[Path]:
    """The folders named after the command, else the app's --data folder, else the default."""
    return args.data_dirs or [getattr(args, "data", None) or default_data_dir()]


def cmd_export(args: argparse.Namespace) -> int:
    folders = _data_folders(args)
    indexes = indexes_for(folders)
    filters = Filters(args.trainee, args.scenario, args.since, args.until, args.rater, args.drill)
    result, first_pass = ScanResult(), ScanResult()
    target = atomic_text_writer(args.out_file) if args.out_file else nullcontext(sys.stdout)
    with target as out:
        out_stream: TextIO = out
        if args.format == "csv":
            library = _library(args)
            known = [c.id for s in library.ordered() for c in s.rubric.criteria]
            # the first pass finds the columns, and brings the index up to date (--rescan here)
            columns = csv_columns(merged_summaries(indexes, first_pass, args.rescan), filters, known)
            summaries = merged_summaries(indexes, result)
            count = write_csv(summaries, filters, columns, out_stream, bom=args.bom)
        else:
            summaries = merged_summaries(indexes, result, args.rescan)
            count = write_toml(summaries, filters, out_stream, result.problems)
    _report_problems(first_pass, result)
    where = f" to {args.out_file}" if args.out_file else ""
    print(f"exported {count} {'rows' if args.format == 'csv' else 'attempts'}{where}", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    folders = _data_folders(args)
    result = ScanResult()
    library = _library(args)
    report = build_report(merged_summaries(indexes_for(folders), result, args.rescan), library)
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
