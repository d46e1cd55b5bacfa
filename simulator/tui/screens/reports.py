"""Instructor / Reports: the class report over this workstation's records, with exports."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from simulator.export import Filters, export_csv, write_toml
from simulator.fileio import atomic_text_writer, describe_os_error
from simulator.locations import record_index_dir
from simulator.record_index import RecordIndex, ScanResult
from simulator.records import RecordError
from simulator.report import build_report, counted, render_text
from simulator.report_html import render_html
from simulator.tui.context import voicemail_app


class ReportsScreen(Screen[None]):
    BINDINGS = [
        Binding("c", "export_csv", "Export CSV"),
        Binding("t", "export_toml", "Export TOML"),
        Binding("w", "export_html", "Write HTML report"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="reports"):
            yield Static("Reading the records…", id="report-text")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Class report"
        self.load()

    def index(self) -> RecordIndex:
        return RecordIndex(record_index_dir(), voicemail_app(self).services.store)

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        result = ScanResult()
        library = voicemail_app(self).services.rubric_library
        try:
            report = build_report(self.index().summaries(result), library)
        except (OSError, sqlite3.Error) as error:
            problem = self.index_problem(error)
            self.app.call_from_thread(self.query_one("#report-text", Static).update, problem)
            return
        text = render_text(report, library)
        if result.problems:
            text += "\n\nSkipped records:\n" + "\n".join(f"  {p}" for p in result.problems)
        self.app.call_from_thread(self.query_one("#report-text", Static).update, text)

    def index_problem(self, error: OSError | sqlite3.Error) -> str:
        where = self.index().path
        problem = describe_os_error(error, where) if isinstance(error, OSError) else f"{where}: {error}."
        return f"The records could not be read into the report: {problem}"

    def export_path(self, name: str, suffix: str) -> Path:
        folder = voicemail_app(self).services.store.data_dir / "exports"
        return folder / f"{name}-{datetime.now():%Y%m%d-%H%M%S}.{suffix}"

    @work(thread=True, exclusive=True, group="export")
    def action_export_csv(self) -> None:
        path = self.export_path("scores", "csv")
        library = voicemail_app(self).services.rubric_library
        try:
            with atomic_text_writer(path) as out:
                rows = export_csv(self.index().summaries, Filters(), library, out, bom=True)
        except (OSError, sqlite3.Error) as error:
            self.app.call_from_thread(self.not_written, "The CSV export", path, error, "c")
            return
        self.app.call_from_thread(self.notify, f"{counted(rows, 'row')} written to {where(path)}")

    @work(thread=True, exclusive=True, group="export")
    def action_export_toml(self) -> None:
        """Every attempt whole, with its assessments: for another program (``export --format toml``)."""
        path = self.export_path("scores", "toml")
        problems: list[RecordError] = []
        try:
            with atomic_text_writer(path) as out:
                count = write_toml(self.index().summaries(), Filters(), out, problems)
        except (OSError, sqlite3.Error) as error:
            self.app.call_from_thread(self.not_written, "The TOML export", path, error, "t")
            return
        told = f"{counted(count, 'attempt')} written to {where(path)}"
        if problems:
            told += f"\n{counted(len(problems), 'record')} could not be read: the report names them"
        self.app.call_from_thread(self.notify, told)

    @work(thread=True, exclusive=True, group="export")
    def action_export_html(self) -> None:
        path = self.export_path("class-report", "html")  # the page's own title
        library = voicemail_app(self).services.rubric_library
        try:
            with atomic_text_writer(path) as out:
                out.write(render_html(build_report(self.index().summaries(), library), library))
        except (OSError, sqlite3.Error) as error:
            self.app.call_from_thread(self.not_written, "The HTML report", path, error, "w")
            return
        self.app.call_from_thread(self.notify, f"Report written to {where(path)}")

    def not_written(self, what: str, path: Path, error: OSError | sqlite3.Error, key: str) -> None:
        """Said with the file it was writing, or the record index if that is what failed."""
        beside = isinstance(error, OSError) and Path(error.filename or path).parent == path.parent
        if isinstance(error, OSError) and beside:
            problem = describe_os_error(error, path)
        else:
            problem = self.index_problem(error)
        self.notify(
            f"{what} is not written: {problem} Press {key} to try again.", severity="error", timeout=15
        )


def where(path: Path) -> str:
    """A file's name, then its folder on a line of its own: a toast at 80 columns broke the path
    in the middle of the file's name (walked)."""
    return f"{path.name}\nin {path.parent}"
