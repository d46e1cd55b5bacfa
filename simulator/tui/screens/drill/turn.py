"""The presenter view of a turn: who is up, who is next, the scenario, and a prep countdown."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import soundfile as sf
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Digits, Footer, Header, Static

from simulator.audio.base import AudioError
from simulator.audio.player import Player
from simulator.campaigns import step_of
from simulator.drill import DEFAULT_PREP_S, Turn, TurnStatus
from simulator.drill_session import SET_ASIDE, DrillSession
from simulator.practice import PracticeAttempt, RecordNotSavedError
from simulator.scenarios import as_called_by
from simulator.tui.playback import play
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.dialogs import ConfirmScreen
from simulator.tui.screens.drill.common import big, save_drill
from simulator.tui.screens.drill.summary import DrillSummaryScreen
from simulator.tui.screens.drill.take import DrillTakeScreen
from simulator.tui.text import brief_text


class DrillTurnScreen(Screen[None]):
    """Presenter view: who is up, who is next, the scenario, and a prep countdown."""

    BINDINGS = [
        Binding("ctrl+d", "dial", "Dial", priority=True),
        Binding("c", "countdown", "Prep"),
        Binding("l", "last_message", "Last message"),
        Binding("o", "open_take", "Score"),
        Binding("s", "skip", "Skip"),
        Binding("e", "end_round", "End round"),
        Binding("x", "finish", "End drill"),
        Binding("escape", "leave", "Pause"),
    ]  # short labels, a compact footer: every key the presenter needs fits in 80 columns

    def __init__(self, session: DrillSession, resumed: bool = False) -> None:
        super().__init__()
        self.session = session
        self.player: Player | None = None  # the trainee's earlier message, on a campaign's step
        self.remaining = 0
        self.resumed = resumed  # reopened after the program stopped: go back to where it was
        self.summary_opened = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="presenter"):
            yield Static(id="now-up")
            yield Static(id="next-up", markup=False)
            yield Digits("", id="prep-timer")
            yield Static("", id="prep-done")
            with VerticalScroll(id="drill-brief"):
                yield Static(id="turn-brief")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.show_turn()
        turn = self.session.drill.current
        if self.resumed and turn is not None:
            self.where_it_was(turn)

    @work(thread=True, exclusive=True, group="open-take")
    def where_it_was(self, turn: Turn) -> None:
        """Resumed: the turn's take if it has one (it was being scored), else a take the stop
        interrupted, offered to keep or set aside."""
        if turn.attempt_id is not None:
            self.app.call_from_thread(self.take_opened, self.session.practice_for(turn))
            return
        interrupted = self.session.interrupted_take(turn)
        if interrupted is not None:
            self.app.call_from_thread(self.offer_interrupted, turn, interrupted)

    def offer_interrupted(self, turn: Turn, wav: Path) -> None:
        try:
            seconds = f"{sf.info(str(wav)).duration:.1f} s"
        except (OSError, RuntimeError):
            seconds = "part of a take"
        question = (
            f"{turn.trainee}'s take was interrupted ({seconds} recorded, not scored). Keep it, to play and "
            f"score it, or re-take? A take set aside stays on disk as {wav.stem}{SET_ASIDE}."
        )

        def answered(keep: bool | None) -> None:
            if keep:
                self.keep_interrupted(turn, wav)
                return
            try:
                aside = self.session.set_aside(wav)
            except OSError as error:
                self.notify(f"Could not set the take aside: {error}", severity="warning")
                return
            self.notify(f"Set aside as {aside.name}: Ctrl+D records {turn.trainee}'s take again.")

        self.app.push_screen(ConfirmScreen(question, yes="Keep it", no="Re-take"), answered)

    @work(thread=True, exclusive=True, group="open-take")
    def keep_interrupted(self, turn: Turn, wav: Path) -> None:
        try:
            practice = self.session.keep_interrupted(turn, wav)
        except (OSError, AudioError, RecordNotSavedError) as error:
            self.app.call_from_thread(self.notify, f"Could not keep the take: {error}", severity="error")
            return
        self.app.call_from_thread(self.take_opened, practice)

    def on_screen_resume(self) -> None:
        self.show_turn()

    def show_turn(self) -> None:
        drill = self.session.drill
        turn = drill.current
        if turn is None:
            # once: the dialog that ended the drill resumes this screen and asks again after it
            # has gone, and a second switch left the app deaf to every key (walked)
            if not self.summary_opened:
                self.summary_opened = True
                self.app.switch_screen(DrillSummaryScreen(self.session))
            return
        scenario = self.session.scenario_for(turn)
        self.sub_title = f"Drill {drill.id}: round {turn.round} of {drill.rounds}"
        self.query_one("#now-up", Static).update(
            big(f"Now: {turn.trainee}")
            + Text(f"   calling {scenario.prospect.name}, {scenario.prospect.company}")
        )
        upcoming = drill.up_next
        self.query_one("#next-up", Static).update(
            Text(f"Next: {upcoming.trainee}" if upcoming else "Last turn")
        )
        self.query_one("#turn-brief", Static).update(brief_text(as_called_by(scenario, turn.trainee)))
        self.query_one("#prep-timer", Digits).update("")
        self.query_one("#prep-done", Static).update("")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "Score" only when this turn already has a take (e.g. after --resume), and
        "Last message" only on a campaign's step after the first."""
        turn = self.session.drill.current
        if action == "open_take":
            return turn is not None and turn.attempt_id is not None
        if action == "last_message":
            place = step_of(turn.scenario_id) if turn else None
            return place is not None and place[1] > 1
        return True

    def action_last_message(self) -> None:
        """The trainee hears their own message at the step before, then leaves this one."""
        turn = self.session.drill.current
        audio = self.session.earlier_take(turn) if turn else None
        if turn is None or audio is None:
            self.notify("No earlier message of theirs in this campaign to play.")
            return
        self.player = play(self, audio, self.player)
        if self.player is None:
            return
        self.notify(f"Playing {turn.trainee}'s last message ({self.player.duration_s:.0f} s).")

    def action_countdown(self) -> None:
        seconds = self.session.drill.prep_seconds or DEFAULT_PREP_S
        self.remaining = seconds
        self.query_one("#prep-timer", Digits).update(f"{seconds}")
        self.query_one("#prep-done", Static).update("")
        self.set_interval(1.0, self.tick, repeat=seconds, name="prep")

    def tick(self) -> None:
        self.remaining -= 1
        self.query_one("#prep-timer", Digits).update(str(max(0, self.remaining)))  # Digits draws digits only
        if self.remaining <= 0:
            self.query_one("#prep-done", Static).update(Text("Time's up: Ctrl+D dials", style="bold"))

    def action_dial(self) -> None:
        turn = self.session.drill.current
        if turn is None:
            return
        if self.player is not None:
            self.player.stop()
        scenario = self.session.scenario_for(turn)
        call = CallScreen(scenario, trainee=turn.trainee, drill_id=self.session.drill.id, presenter=True)
        self.app.push_screen(call, self.take_done)

    def take_done(self, practice: PracticeAttempt | None) -> None:
        if practice is None:  # hung up, or the take could not be kept
            return
        self.session.drill.record(practice.id)
        save_drill(self, self.session)
        self.app.push_screen(DrillTakeScreen(self.session, practice))

    def action_open_take(self) -> None:
        """The current trainee's recorded take (e.g. after --resume), to score, reveal or re-take."""
        turn = self.session.drill.current
        if turn is None:
            self.take_opened(None)
            return
        self.read_take(turn)

    @work(thread=True, exclusive=True, group="open-take")
    def read_take(self, turn: Turn) -> None:
        self.app.call_from_thread(self.take_opened, self.session.practice_for(turn))

    def take_opened(self, practice: PracticeAttempt | None) -> None:
        if practice is None:
            self.notify("No take recorded for this turn yet: Ctrl+D dials.", severity="warning")
            return
        self.app.push_screen(DrillTakeScreen(self.session, practice))

    def action_skip(self) -> None:
        turn = self.session.drill.current
        if turn is None:
            return
        skip = self._changed_if_confirmed(self.session.drill.skip)
        if self.session.drill.up_next is None:  # the last turn: skipping it ends the drill
            question = f"Skip {turn.trainee}? This is the last turn: the drill ends and its summary opens."
            self.app.push_screen(ConfirmScreen(question, yes="Skip and end", no="Stay"), skip)
            return
        skip(True)

    def _changed_if_confirmed(self, change: Callable[[], None]) -> Callable[[bool | None], None]:
        """A dialog's answer: yes makes the ``change`` to the drill, saves it and shows the turn."""

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                change()
                save_drill(self, self.session)
                # after the dialog has gone: switching screens from its dismissal raced the Header
                self.call_after_refresh(self.show_turn)

        return answered

    def action_end_round(self) -> None:
        """Asks first, as ending the drill does (walked: one key skipped a whole class, unasked)."""
        drill = self.session.drill
        turn = drill.current
        if turn is None:
            return
        left = sum(1 for t in drill.turns if t.round == turn.round and t.status is TurnStatus.WAITING)
        last = all(t.round <= turn.round for t in drill.turns)
        then = "the drill ends and its summary opens" if last else f"round {turn.round + 1} starts"
        question = (
            f"End round {turn.round}? {left} turn{'s' if left != 1 else ''} not taken yet in it "
            f"will be skipped ({turn.trainee} is up), and {then}."
        )
        end_round = self._changed_if_confirmed(drill.end_round)
        self.app.push_screen(ConfirmScreen(question, yes="End round", no="Stay"), end_round)

    def action_finish(self) -> None:
        left = sum(1 for t in self.session.drill.turns if t.status is TurnStatus.WAITING)
        question = f"End the drill now? {left} turn{'s' if left != 1 else ''} not taken yet will be skipped."
        end = self._changed_if_confirmed(self.session.drill.end)
        self.app.push_screen(ConfirmScreen(question, yes="End drill", no="Stay"), end)

    def on_unmount(self) -> None:
        if self.player is not None:  # the trainee's last message stops with the drill's screen
            self.player.stop()

    def action_leave(self) -> None:
        if save_drill(self, self.session, notify=False):
            self.notify(
                "Drill paused and saved: d on the start screen's scenarios (Tab to them from the name "
                "box), or 'voicemail-sim drill --resume', goes on with it."
            )
            self.app.pop_screen()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.app.pop_screen()

        question = (
            f"The drill's progress cannot be saved. {self.session.problem} Leave anyway? Its takes and "
            "scores are kept; 'drill --resume' would continue from the last step that was saved."
        )
        self.app.push_screen(ConfirmScreen(question, yes="Leave", no="Stay"), answered)
