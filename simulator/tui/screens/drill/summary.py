"""The drill's summary: leaderboards (round and drill) and calibration, where self-judgement and the
instructor's differ."""

from __future__ import annotations

import shlex
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Static

from simulator.attempts import Attempt, points
from simulator.audio.player import Player
from simulator.drill_results import Standing, calibration, leaderboard, weakest
from simulator.drill_session import DrillSession
from simulator.store import Listing
from simulator.tui.context import voicemail_app
from simulator.tui.messages import AttemptsLoaded
from simulator.tui.playback import play


def rounds_text(session: DrillSession, attempts: dict[str, Attempt]) -> Text:
    drill = session.drill
    rounds = Text()
    for round_number in range(1, drill.rounds + 1):
        board = leaderboard(drill, attempts, round_number)
        shown = ", ".join(f"{s.trainee} {points(s.instructor)}" for s in board if s.instructor is not None)
        rounds.append(f"Round {round_number}: ", style="bold")
        rounds.append((shown or "no instructor scores") + "\n")
    return rounds


def calibration_text(session: DrillSession, attempts: dict[str, Attempt], data_dir: Path) -> Text:
    drill = session.drill
    trainees, criteria = calibration(drill, attempts, session.library)
    text = Text("\nCalibration: self against instructor\n", style="bold")
    for line in trainees:
        takes = "1 take" if line.takes == 1 else f"{line.takes} takes"
        text.append(f"  {line.trainee}: {line.verdict} ({line.gap:+.0f} points over {takes})\n")
    if weak := weakest(criteria):
        text.append("Where the class's self-judgement is weakest\n", style="bold")
        for item in weak:
            direction = "higher" if item.gap > 0 else "lower" if item.gap < 0 else "higher and lower in turn"
            text.append(
                f"  {item.label}: self and instructor agree on {item.agreement:.0%} of takes; "
                f"trainees rate themselves {direction}\n"
            )
    if not trainees:
        text.append("  Needs takes with both a self and an instructor score.\n", style="dim")
    unassessed = " --unassessed" if any(not a.assessments for a in attempts.values()) else ""
    command = f"voicemail-sim export {shlex.quote(str(data_dir))} --drill {drill.id} --format csv{unassessed}"
    text.append(f"\nExport: {command}", style="dim")
    return text


class DrillSummaryScreen(Screen[None]):
    """Leaderboards (round and drill) and calibration: where self-judgement and the instructor's differ."""

    BINDINGS = [Binding("p", "play_best", "Play best take"), Binding("escape", "app.go_start", "Done")]

    def __init__(self, session: DrillSession) -> None:
        super().__init__()
        self.session = session
        self.player: Player | None = None
        self.standings: list[Standing] = []
        self.listing = Listing()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="drill-summary"):
            yield Label("Drill leaderboard (instructor score; self and peers beside)")
            yield DataTable(id="leaderboard", cursor_type="row")
            yield Static(id="rounds")
            yield Static(id="calibration")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Drill {self.session.drill.id}: summary"
        self.query_one("#leaderboard", DataTable).add_columns("#", "Trainee", "Instructor", "Self", "Peers")
        voicemail_app(self).read_attempts(self)

    def on_attempts_loaded(self, message: AttemptsLoaded) -> None:
        self.listing = message.listing
        attempts = self.session.takes(message.listing)
        self.standings = leaderboard(self.session.drill, attempts)
        table = self.query_one("#leaderboard", DataTable)
        table.clear()
        place = 0
        for standing in self.standings:
            ranked = standing.instructor is not None
            place += ranked
            scores = (standing.instructor, standing.self_score, standing.peers)
            cells = [str(points(v)) if v is not None else "–" for v in scores]
            if standing.skipped:
                cells = ["skipped", "", ""]
            elif not ranked:
                cells[0] = "not scored"
            table.add_row(str(place) if ranked else "", Text(standing.trainee), *cells)  # Text: never markup
        self.query_one("#rounds", Static).update(rounds_text(self.session, attempts))
        data_dir = voicemail_app(self).services.store.data_dir
        self.query_one("#calibration", Static).update(calibration_text(self.session, attempts, data_dir))

    def action_play_best(self) -> None:
        table = self.query_one("#leaderboard", DataTable)
        if not self.standings or table.cursor_row is None:
            return
        standing = self.standings[table.cursor_row]
        if standing.best_attempt_id is None:
            self.notify(f"{standing.trainee} has no take to play.")
            return
        attempt = self.session.takes(self.listing)[standing.best_attempt_id]
        audio = self.listing.paths[standing.best_attempt_id].with_name(attempt.audio_file)
        self.player = play(self, audio, self.player)
        if self.player is not None:  # whose, on a screen the whole room sees (walked: no sign)
            self.notify(f"Playing {standing.trainee}'s best take ({attempt.scenario_title}).")

    def on_unmount(self) -> None:
        if self.player is not None:
            self.player.stop()
