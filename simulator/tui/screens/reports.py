"""Instructor / Reports: the class report over this workstation's records, with exports."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from simulator.export import Filters, csv_columns, write_csv
from simulator.fileio import atomic_text_writer
from simulator.locations import cache_dir
from simulator.record_index import RecordIndex, ScanResult
from simulator.report import build_report, render_text
from simulator.report_html import render_html


class ReportsScreen(Screen[None]):
    BINDINGS = [
        Binding("c", "export_csv", "Export CSV"),
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
        return RecordIndex(cache_dir() / "index", self.app.services.store)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        result = ScanResult()
        library = self.app.services.library  # type: ignore[attr-defined]
        report = build_report(self.index().summaries(result), library)
        text = render_text(report, library)
        if result.problems:
            text += "\n\nSkipped records:\n" + "\n".join(f"  {p}" for p in result.problems)
        self.app.call_from_thread(self.query_one("#report-text", Static).update, text)

    def export_path(self, suffix: str) -> Path:
        folder = self.app.services.store.data_dir / "exports"  # type: ignore[attr-defined]
        return folder / f"scores-{datetime.now():%Y%m%d-%H%M%S}.{suffix}"

    @work(thread=True, exclusive=True, group="export")
    def action_export_csv(self) -> None:
        path = self.export_path("csv")
        library = self.app.services.library  # type: ignore[attr-defined]
        known = [c.id for s in library.ordered() for c in s.rubric.criteria]
        filters = Filters()
        columns = csv_columns(self.index().summaries(), filters, known)
        try:
            with atomic_text_writer(path) as out:
                rows = write_csv(self.index().summaries(), filters, columns, out, bom=True)
        except OSError as error:
            self.app.call_from_thread(self.notify, f"Could not export: {error}", severity="error")
            return
        self.app.call_from_thread(self.notify, f"{rows} rows written to {path}")

    @work(thread=True, exclusive=True, group="export")
    def action_export_html(self) -> None:
        path = self.export_path("html")
        library = self.app.services.library  # type: ignore[attr-defined]
        try:
            with atomic_text_writer(path) as out:
                out.write(render_html(build_report(self.index().summaries(), library), library))
        except OSError as error:
            self.app.call_from_thread(self.notify, f"Could not write the report: {error}", severity="error")
            return
        self.app.call_from_thread(self.notify, f"Report written to {path}")
