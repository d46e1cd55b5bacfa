"""The reveal: self, instructor and peers side by side, with what the machine heard."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from simulator.analysis.hints import SHORT_LABELS, mark
from simulator.attempts import Attempt, RaterKind, points
from simulator.drill_results import peer_mean, reveal_rows
from simulator.drill_session import DrillSession
from simulator.practice import PracticeAttempt
from simulator.tui.messages import WordsHeard


def level_text(level: float | int | None, top: int) -> str:
    if level is None:
        return "–"
    if top == 1 and float(level).is_integer():
        return "yes" if level else "no"
    return f"{level:g}"


MACHINE_KEY = "Machine: ✓ good sign · ✗ bad sign · ⚠ unsure, listen back · – it cannot check"


class RevealScreen(Screen[None]):
    """Self, instructor and peers side by side, with what the machine heard."""

    BINDINGS = [Binding("escape,n", "app.pop_screen", "Back")]

    def __init__(self, session: DrillSession, attempt: Attempt, practice: PracticeAttempt) -> None:
        super().__init__()
        self.session, self.attempt, self.practice = session, attempt, practice

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="reveal"):
            yield Static(id="reveal-scores")
            yield DataTable(id="reveal-table", zebra_stripes=True)
            yield Static(MACHINE_KEY, id="reveal-key")
        yield Footer()

    def on_mount(self) -> None:
        attempt = self.attempt
        self.sub_title = f"Reveal: {attempt.trainee}"
        own, instructor = attempt.by(RaterKind.SELF)[-1], attempt.by(RaterKind.INSTRUCTOR)[-1]
        peers = peer_mean(attempt)
        scores = Text(f"{attempt.trainee}   ", style="bold")
        scores.append(f"self {points(own.score)}   ", style="bold cyan")
        scores.append(f"instructor {points(instructor.score)}   ", style="bold magenta")
        scores.append(f"peers {points(peers)}" if peers is not None else "peers –", style="bold yellow")
        gap = points(own.score) - points(instructor.score)  # adds up with the scores shown
        scores.append(f"\nSelf minus instructor: {gap:+d} points", style="italic")
        self.query_one("#reveal-scores", Static).update(scores)
        table = self.query_one("#reveal-table", DataTable)
        table.add_columns("Criterion", "Self", "Instructor", "Peers", "Machine")
        self.fill_table()

    def on_words_heard(self, message: WordsHeard) -> None:
        if message.practice is self.practice:
            self.fill_table()

    def machine_text(self, criterion_id: str) -> str:
        """What the machine heard for one criterion: one check's mark, or each check named."""
        hint_ids = self.practice.scenario.rubric.criterion(criterion_id).hints
        marks = [(h, mark(h, self.practice.hints[h])) for h in hint_ids if h in self.practice.hints]
        known = [(h, sign) for h, sign in marks if sign != "?"]
        if self.practice.hearing and hint_ids:
            return "…"
        if len(known) == 1:  # one check: its mark says it all, but a bare ⚠ would not say what to do
            return "⚠ listen back" if known[0][1] == "⚠" else known[0][1]
        # the opening's check refines the name checks beside it, and would not fit at 80 columns
        shown = [(h, sign) for h, sign in known if h != "first_words" or len(known) == 1]
        return " ".join(f"{SHORT_LABELS[h]} {sign}" for h, sign in shown) or "–"

    def fill_table(self) -> None:
        table = self.query_one("#reveal-table", DataTable)
        table.clear()
        for row in reveal_rows(self.attempt, self.session.library):
            differs = row.self_level is not None and row.self_level != row.instructor_level
            label = Text(row.label, style="bold yellow" if differs else "")
            table.add_row(
                label,
                level_text(row.self_level, row.top),
                level_text(row.instructor_level, row.top),
                level_text(row.peer_mean, row.top),
                self.machine_text(row.criterion_id),
            )
