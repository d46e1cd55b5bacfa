"""History: the trainee's attempts; replay any take and read its assessment."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from simulator.attempts import Attempt
from simulator.audio.base import AudioError, Clip
from simulator.audio.player import Player
from simulator.tui.context import voicemail_app
from simulator.tui.messages import AttemptsLoaded


def shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def assessment_text(attempt: Attempt) -> Text:
    text = Text(f"{attempt.scenario_title}\n", style="bold")
    text.append(f"{attempt.started_at:%a %d %b %Y %H:%M} · {attempt.duration_s:.1f} s\n")
    if not attempt.assessments:
        text.append("Not assessed.\n", style="dim")
    for scored in attempt.assessments:
        assessment = scored.assessment
        text.append(
            f"\n{assessment.rater}: {scored.score:.0f} ({scored.timing_verdict.value})\n", style="bold cyan"
        )
        for criterion_id, level in assessment.ratings.items():
            note = assessment.criterion_notes.get(criterion_id, "")
            text.append(f"  {criterion_id}: {level}" + (f"  ({note})" if note else "") + "\n")
        if assessment.notes:
            text.append(f"  Notes: {assessment.notes}\n", style="italic")
    if attempt.recording_error:
        text.append(f"\nRecording problem: {attempt.recording_error}\n", style="yellow")
    return text


class HistoryScreen(Screen[None]):
    """The attempts are read in a worker and listed when they come."""

    BINDINGS = [
        Binding("p,space", "play", "Play/pause the take"),
        Binding("escape", "close", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Attempt] = []
        self.paths: dict[str, Path] = {}
        self.player: Player | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="history"):
            yield DataTable(id="attempts", cursor_type="row", zebra_stripes=True)
            yield Static(id="attempt-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"History: {voicemail_app(self).trainee or 'everyone'}"
        table = self.query_one("#attempts", DataTable)
        # fixed widths (the widest each can be): the table keeps its shape while the rows come in
        for label, width in (("Date", 16), ("Scenario", 34), ("Length", 7), ("Self", 4)):
            table.add_column(label, width=width)
        table.focus()
        voicemail_app(self).read_attempts(self)

    def on_attempts_loaded(self, message: AttemptsLoaded) -> None:
        trainee = voicemail_app(self).trainee
        listing = message.listing
        self.paths = listing.paths
        self.rows = [a for a in reversed(listing.attempts) if not trainee or a.trainee == trainee]
        table = self.query_one("#attempts", DataTable)
        for attempt in self.rows:
            score = attempt.self_score
            table.add_row(
                f"{attempt.started_at:%Y-%m-%d %H:%M}",
                Text(shorten(attempt.scenario_title, 34)),  # a title, never markup
                f"{attempt.duration_s:5.1f} s",
                f"{score:.0f}" if score is not None else "-",
                key=attempt.id,
            )
        if not self.rows:
            self.query_one("#attempt-detail", Static).update(
                "No attempts yet. Practise one from the start screen."
            )
        for problem in listing.problems:
            self.notify(f"Skipped a record: {problem}", severity="warning")

    def selected(self) -> Attempt | None:
        table = self.query_one("#attempts", DataTable)
        if not self.rows or table.cursor_row is None:
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def show_detail(self) -> None:
        attempt = self.selected()
        if attempt is not None:
            self.query_one("#attempt-detail", Static).update(assessment_text(attempt))
            self.stop_playing()

    def action_play(self) -> None:
        attempt = self.selected()
        if attempt is None:
            return
        if self.player is None:
            audio = self.paths[attempt.id].with_name(attempt.audio_file)
            try:
                self.player = Player(voicemail_app(self).audio(), Clip.load(audio))
            except AudioError as error:
                self.notify(str(error), severity="warning")
                return
        self.player.toggle()

    def stop_playing(self) -> None:
        if self.player is not None:
            self.player.stop()
            self.player = None

    def action_close(self) -> None:
        self.stop_playing()
        self.app.pop_screen()
