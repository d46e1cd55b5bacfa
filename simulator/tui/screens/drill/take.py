"""After a take: replay it to the room, collect self, instructor and peer scores (hidden), reveal."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from simulator.attempts import Rater, RaterKind, ScoredAssessment
from simulator.audio.base import AudioError, Clip
from simulator.audio.player import Player
from simulator.drill_session import DrillSession
from simulator.practice import PracticeAttempt
from simulator.tui.context import voicemail_app
from simulator.tui.messages import WordsHeard
from simulator.tui.screens.assess import AssessScreen
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.drill.common import big, save_drill
from simulator.tui.screens.drill.reveal import RevealScreen
from simulator.tui.text import measurements_text, not_recorded_text


class PeerPicker(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = names

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Whose peer score is this?", classes="dialog-title")
            yield OptionList(*[Option(Text(name), name) for name in self.names], id="peers")

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class DrillTakeScreen(Screen[None]):
    """After a take: replay to the room, collect self, instructor and peer scores (hidden), reveal."""

    BINDINGS = [
        # short labels: all seven fit the footer at 80 columns ("n Next trainee" was cut off)
        Binding("p", "play", "Play"),
        Binding("1", "assess('self')", "Self"),
        Binding("2", "assess('instructor')", "Instructor"),
        Binding("3", "assess('peer')", "Peer"),
        Binding("v", "reveal", "Reveal"),
        Binding("t", "retake", "Re-take"),
        Binding("n", "next", "Next"),
    ]

    def __init__(self, session: DrillSession, practice: PracticeAttempt) -> None:
        super().__init__()
        self.session = session
        self.practice = practice
        self.player: Player | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="drill-take"):
            yield Static(id="take-title")
            yield Static(id="take-status")
            yield Static(id="take-measurements")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_status()

    def refresh_status(self) -> None:
        attempt = self.practice.attempt
        assert attempt is not None
        self.sub_title = f"{self.practice.trainee}'s take"
        prospect = self.practice.scenario.prospect.name
        # the timing verdict judges the message to its last word, so the title does (walked: "12.7 s"
        # here beside a target of 12-30 s, and "too short" in the export: 10.8 s to the last word)
        title = f"{self.practice.trainee} to {prospect}: {attempt.message_s:.1f} s to the last word"
        self.query_one("#take-title", Static).update(big(title))
        marks = []
        for kind, label in ((RaterKind.SELF, "self"), (RaterKind.INSTRUCTOR, "instructor")):
            marks.append(f"{label} {'✓' if attempt.by(kind) else '·'}")
        marks.append(f"peers {len(attempt.by(RaterKind.PEER))}")
        self.query_one("#take-status", Static).update(
            ("Scores so far (revealed): " if self.revealed() else "Scores so far (hidden until the reveal): ")
            + "   ".join(marks)
        )
        self.show_measurements()

    def show_measurements(self) -> None:
        """What the machine measured and heard (its words join when they are heard)."""
        practice = self.practice
        if practice.measurements is None:
            return
        shown = (
            measurements_text(practice.measurements, practice.analysis, practice.hearing)
            if practice.recorded
            else not_recorded_text(practice.measurements.duration_s)
        )
        self.query_one("#take-measurements", Static).update(shown)

    def on_words_heard(self, message: WordsHeard) -> None:
        if message.practice is self.practice:
            self.show_measurements()

    def action_play(self) -> None:
        if self.player is None and self.practice.audio_path is not None:
            try:
                backend = voicemail_app(self).audio()
                self.player = Player(backend, Clip.load(self.practice.audio_path))
            except AudioError as error:
                self.notify(str(error), severity="warning")
                return
        if self.player is not None:
            self.player.toggle()

    def action_assess(self, kind: str) -> None:
        if self.player is not None:
            self.player.pause()
        rater_kind = RaterKind(kind)
        if rater_kind is RaterKind.PEER:
            others = [n for n in self.session.drill.roster if n != self.practice.trainee]
            if not others:
                self.notify("No peers on the roster.", severity="warning")
                return

            def picked(name: str | None) -> None:
                if name:
                    self.assess_as(Rater(RaterKind.PEER, name))

            self.app.push_screen(PeerPicker(others), picked)
            return
        # the instructor's own name, from the set-up, so exports say who scored (walked: "instructor")
        instructor = self.session.drill.instructor or "instructor"
        name = self.practice.trainee if rater_kind is RaterKind.SELF else instructor
        self.assess_as(Rater(rater_kind, name))

    def assess_as(self, rater: Rater) -> None:
        self.app.push_screen(AssessScreen(self.practice, rater), self.assessed)

    def assessed(self, scored: ScoredAssessment | None) -> None:
        if scored is None:  # back without saving
            return
        save_drill(self, self.session)
        self.refresh_status()

    def action_reveal(self) -> None:
        attempt = self.practice.attempt
        assert attempt is not None
        if not attempt.by(RaterKind.SELF) or not attempt.by(RaterKind.INSTRUCTOR):
            self.notify(
                "The reveal needs the trainee's and the instructor's scores first (1 and 2).",
                severity="warning",
            )
            return
        if self.session.drill.current is not None:
            self.session.drill.reveal()
            save_drill(self, self.session)
        self.app.push_screen(RevealScreen(self.session, attempt, self.practice))

    def on_screen_resume(self) -> None:
        self.refresh_status()  # back from the reveal (or a score): what the room has seen

    def revealed(self) -> bool:
        """Whether this take's scores have been shown to the room (walked: still "hidden" after)."""
        turn = self.session.drill.current
        return turn is not None and turn.revealed and turn.attempt_id == self.practice.id

    def action_retake(self) -> None:
        self.stop_player()
        call = CallScreen(
            self.practice.scenario,
            trainee=self.practice.trainee,
            drill_id=self.session.drill.id,
            presenter=True,
        )
        self.app.push_screen(call, self.retaken)

    def retaken(self, practice: PracticeAttempt | None) -> None:
        if practice is None:
            return
        self.session.drill.record(practice.id)  # the first take stays in the turn's list and on disk
        save_drill(self, self.session)
        self.app.switch_screen(DrillTakeScreen(self.session, practice))

    def action_next(self) -> None:
        self.stop_player()
        self.session.drill.advance()
        save_drill(self, self.session)
        self.app.pop_screen()

    def stop_player(self) -> None:
        if self.player is not None:
            self.player.stop()
            self.player = None
