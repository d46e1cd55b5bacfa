"""Instructor-led drill: set-up, the presenter view of each turn, scoring, reveal and summary."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Checkbox,
    DataTable,
    Digits,
    Footer,
    Header,
    Input,
    Label,
    OptionList,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from simulator.analysis.hints import SHORT_LABELS, mark
from simulator.attempts import Attempt, Rater, RaterKind
from simulator.audio.base import AudioError, Clip
from simulator.audio.player import Player
from simulator.drill import Drill, DrillStore, RosterError, Turn, load_roster, parse_roster_text
from simulator.drill_results import calibration, leaderboard, peer_mean, reveal_rows
from simulator.fileio import describe_os_error
from simulator.practice import PracticeAttempt
from simulator.store import list_attempts
from simulator.tui.hearing import when_words_heard
from simulator.tui.screens.dialogs import ConfirmScreen
from simulator.tui.text import brief_text, measurements_text


class DrillSession:
    """The drill being run, its saved state, and the attempts it has produced."""

    def __init__(self, app: object, drill: Drill) -> None:
        self.app = app
        self.drill = drill
        self.services = app.services  # type: ignore[attr-defined]
        self.drills = DrillStore(self.services.store.data_dir)
        self.problem = ""  # why the last save failed, if it did

    def save(self, notify: bool = True) -> bool:
        """Save the drill's state; on a full disk or read-only folder the drill goes on in memory
        (every step rewrites the whole state, so the next save that works catches up). False if
        not saved, with :attr:`problem` saying why (and a warning shown, if ``notify``)."""
        try:
            self.drills.save(self.drill)
        except OSError as error:
            self.problem = describe_os_error(error, self.drills.folder / f"{self.drill.id}.toml")
            if notify:
                self.app.notify(  # type: ignore[attr-defined]
                    f"The drill's progress is not saved: {self.problem} "
                    "The drill goes on; its progress is saved again at the next step.",
                    severity="error",
                    timeout=15,
                )
            return False
        self.problem = ""
        return True

    def attempts(self) -> dict[str, Attempt]:
        listing = list_attempts([self.services.store])
        self.paths = listing.paths
        return {a.id: a for a in listing.attempts if a.drill_id == self.drill.id}

    def practice_for(self, turn: Turn) -> PracticeAttempt | None:
        attempts = self.attempts()
        if turn.attempt_id not in attempts:
            return None
        scenario = self.services.library.get(turn.scenario_id)
        return PracticeAttempt.from_record(self.services.store, scenario, self.paths[turn.attempt_id])


class DrillSetupScreen(Screen[None]):
    """Roster, scenarios, rounds, order and preparation time."""

    BINDINGS = [
        Binding("ctrl+s", "start", "Start the drill", priority=True),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(
        self,
        roster: list[str] | None = None,
        scenario_ids: list[str] | None = None,
        rounds: int = 1,
        shuffle: bool = False,
        prep_seconds: int = 0,
    ) -> None:
        super().__init__()
        self.roster, self.scenario_ids = roster or [], scenario_ids or []
        self.rounds, self.shuffle, self.prep_seconds = rounds, shuffle, prep_seconds

    def compose(self) -> ComposeResult:
        library = self.app.services.library  # type: ignore[attr-defined]
        chosen = self.scenario_ids or [library.ordered()[0].id]
        yield Header()
        with Horizontal(id="drill-setup"):
            with Vertical(id="roster-box"):
                yield Label("Roster: one name per line")
                yield TextArea("\n".join(self.roster), id="roster")
                yield Input(
                    placeholder="or a roster file (CSV with a name column, or TOML); Enter loads it",
                    id="roster-file",
                )
            with Vertical(id="drill-options"):
                yield Label("Scenarios (one per round, in turn)")
                yield SelectionList[str](
                    *[(s.title, s.id, s.id in chosen) for s in library.ordered()], id="drill-scenarios"
                )
                with Horizontal(classes="drill-row"):
                    yield Label("Rounds")
                    yield Input(str(self.rounds), id="rounds", type="integer")
                    yield Label("Prep s")
                    yield Input(str(self.prep_seconds), id="prep", type="integer")
                yield Checkbox("Shuffle the order each round", self.shuffle, id="shuffle")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Drill set-up (Ctrl+S starts)"
        self.query_one("#roster", TextArea).focus()

    @on(Input.Submitted, "#roster-file")
    def load_file(self, event: Input.Submitted) -> None:
        try:
            names = load_roster(Path(event.value).expanduser())
        except RosterError as error:
            self.notify(str(error), title="Roster not loaded", severity="error", timeout=10)
            return
        self.query_one("#roster", TextArea).text = "\n".join(names)
        self.notify(f"{len(names)} trainees loaded")

    def action_start(self) -> None:
        try:
            roster = parse_roster_text(self.query_one("#roster", TextArea).text, "roster")
        except RosterError as error:
            self.notify(str(error), severity="error")
            return
        scenario_ids = list(self.query_one("#drill-scenarios", SelectionList).selected)
        try:
            rounds = int(self.query_one("#rounds", Input).value or "1")
            prep = int(self.query_one("#prep", Input).value or "0")
            drill = Drill.plan(
                roster,
                scenario_ids,
                rounds,
                shuffle=self.query_one("#shuffle", Checkbox).value,
                prep_seconds=max(0, prep),
            )
        except ValueError as error:
            self.notify(f"Cannot start: {error}", severity="error")
            return
        session = DrillSession(self.app, drill)
        session.save()
        self.app.switch_screen(DrillTurnScreen(session))


def big(text: str, style: str = "bold") -> Text:
    return Text(text, style=style)


class DrillTurnScreen(Screen[None]):
    """Presenter view: who is up, who is next, the scenario, and a prep countdown."""

    BINDINGS = [
        Binding("ctrl+d", "dial", "Dial", priority=True),
        Binding("c", "countdown", "Prep countdown"),
        Binding("o", "open_take", "Score the take"),
        Binding("s", "skip", "Skip trainee"),
        Binding("e", "end_round", "End round"),
        Binding("x", "finish", "End drill"),
        Binding("escape", "leave", "Pause drill"),
    ]

    def __init__(self, session: DrillSession) -> None:
        super().__init__()
        self.session = session
        self.remaining = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="presenter"):
            yield Static(id="now-up")
            yield Static(id="next-up")
            yield Digits("", id="prep-timer")
            with VerticalScroll(id="drill-brief"):
                yield Static(id="turn-brief")
        yield Footer()

    def on_mount(self) -> None:
        self.show_turn()

    def on_screen_resume(self) -> None:
        self.show_turn()

    def show_turn(self) -> None:
        drill = self.session.drill
        turn = drill.current
        if turn is None:
            self.app.switch_screen(DrillSummaryScreen(self.session))
            return
        scenario = self.session.services.library.get(turn.scenario_id)
        self.sub_title = f"Drill {drill.id}: round {turn.round} of {drill.rounds}"
        self.query_one("#now-up", Static).update(
            big(f"Now: {turn.trainee}")
            + Text(f"   calling {scenario.prospect.name}, {scenario.prospect.company}")
        )
        upcoming = drill.up_next
        self.query_one("#next-up", Static).update(f"Next: {upcoming.trainee}" if upcoming else "Last turn")
        self.query_one("#turn-brief", Static).update(brief_text(scenario))
        self.query_one("#prep-timer", Digits).update("")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer "Score the take" only when this turn already has a take (e.g. after --resume)."""
        if action == "open_take":
            turn = self.session.drill.current
            return turn is not None and turn.attempt_id is not None
        return True

    def action_countdown(self) -> None:
        seconds = self.session.drill.prep_seconds or 30
        self.remaining = seconds
        self.query_one("#prep-timer", Digits).update(f"{seconds}")
        self.set_interval(1.0, self.tick, repeat=seconds, name="prep")

    def tick(self) -> None:
        self.remaining -= 1
        self.query_one("#prep-timer", Digits).update(f"{self.remaining}" if self.remaining > 0 else "Dial!")

    def action_dial(self) -> None:
        from simulator.tui.screens.call import CallScreen

        turn = self.session.drill.current
        if turn is None:
            return
        scenario = self.session.services.library.get(turn.scenario_id)
        self.app.push_screen(
            CallScreen(
                scenario,
                trainee=turn.trainee,
                drill_id=self.session.drill.id,
                on_finished=self.take_done,
                presenter=True,
            )
        )

    def take_done(self, practice: PracticeAttempt) -> None:
        self.session.drill.record(practice.id)
        self.session.save()
        self.app.push_screen(DrillTakeScreen(self.session, practice))

    def action_open_take(self) -> None:
        """The current trainee's recorded take (e.g. after --resume), to score, reveal or re-take."""
        turn = self.session.drill.current
        practice = self.session.practice_for(turn) if turn is not None else None
        if practice is None:
            self.notify("No take recorded for this turn yet: Ctrl+D dials.", severity="warning")
            return
        self.app.push_screen(DrillTakeScreen(self.session, practice))

    def action_skip(self) -> None:
        self.session.drill.skip()
        self.session.save()
        self.show_turn()

    def action_end_round(self) -> None:
        self.session.drill.end_round()
        self.session.save()
        self.show_turn()

    def action_finish(self) -> None:
        self.session.drill.end()
        self.session.save()
        self.app.switch_screen(DrillSummaryScreen(self.session))

    def action_leave(self) -> None:
        if self.session.save(notify=False):
            self.notify("Drill saved; 'voicemail-sim drill --resume' continues it.")
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


class PeerPicker(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = names

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Whose peer score is this?", classes="dialog-title")
            yield OptionList(*[Option(name, name) for name in self.names], id="peers")

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class DrillTakeScreen(Screen[None]):
    """After a take: replay to the room, collect self, instructor and peer scores (hidden), reveal."""

    BINDINGS = [
        Binding("p", "play", "Play to the room"),
        Binding("1", "assess('self')", "Self"),
        Binding("2", "assess('instructor')", "Instructor"),
        Binding("3", "assess('peer')", "Peer"),
        Binding("v", "reveal", "Reveal"),
        Binding("t", "retake", "Re-take"),
        Binding("n", "next", "Next trainee"),
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
        title = f"{self.practice.trainee}: {attempt.duration_s:.1f} s to {prospect}"
        self.query_one("#take-title", Static).update(big(title))
        marks = []
        for kind, label in ((RaterKind.SELF, "self"), (RaterKind.INSTRUCTOR, "instructor")):
            marks.append(f"{label} {'✓' if attempt.by(kind) else '·'}")
        marks.append(f"peers {len(attempt.by(RaterKind.PEER))}")
        self.query_one("#take-status", Static).update(
            "Scores so far (hidden until the reveal): " + "   ".join(marks)
        )
        if self.practice.measurements is not None:
            self.query_one("#take-measurements", Static).update(measurements_text(self.practice.measurements))

    def action_play(self) -> None:
        if self.player is None and self.practice.audio_path is not None:
            try:
                self.player = Player(self.app.audio(), Clip.load(self.practice.audio_path))  # type: ignore[attr-defined]
            except AudioError as error:
                self.notify(str(error), severity="warning")
                return
        if self.player is not None:
            self.player.toggle()

    def action_assess(self, kind: str) -> None:
        from simulator.tui.screens.assess import AssessScreen

        if self.player is not None:
            self.player.pause()
        if kind == "peer":
            others = [n for n in self.session.drill.roster if n != self.practice.trainee]
            if not others:
                self.notify("No peers on the roster.", severity="warning")
                return

            def picked(name: str | None) -> None:
                if name:
                    self.app.push_screen(AssessScreen(self.practice, Rater(RaterKind.PEER, name), self.saved))

            self.app.push_screen(PeerPicker(others), picked)
            return
        rater = (
            Rater(RaterKind.SELF, self.practice.trainee)
            if kind == "self"
            else Rater(RaterKind.INSTRUCTOR, "instructor")
        )
        self.app.push_screen(AssessScreen(self.practice, rater, self.saved))

    def saved(self) -> None:
        self.session.save()
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
        turn = self.session.drill.current
        if turn is not None:
            turn.revealed = True
            self.session.save()
        self.app.push_screen(RevealScreen(self.session, attempt, self.practice))

    def action_retake(self) -> None:
        from simulator.tui.screens.call import CallScreen

        def retaken(practice: PracticeAttempt) -> None:
            self.session.drill.record(practice.id)  # the first take stays in the turn's list and on disk
            self.session.save()
            self.app.switch_screen(DrillTakeScreen(self.session, practice))

        self.stop_player()
        scenario = self.practice.scenario
        self.app.push_screen(
            CallScreen(
                scenario,
                trainee=self.practice.trainee,
                drill_id=self.session.drill.id,
                on_finished=retaken,
                presenter=True,
            )
        )

    def action_next(self) -> None:
        self.stop_player()
        self.session.drill.advance()
        self.session.save()
        self.app.pop_screen()

    def stop_player(self) -> None:
        if self.player is not None:
            self.player.stop()
            self.player = None


def level_text(level: float | int | None, top: int) -> str:
    if level is None:
        return "–"
    if top == 1 and float(level).is_integer():
        return "yes" if level else "no"
    return f"{level:g}"


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
        yield Footer()

    def on_mount(self) -> None:
        attempt = self.attempt
        self.sub_title = f"Reveal: {attempt.trainee}"
        own, instructor = attempt.by(RaterKind.SELF)[-1], attempt.by(RaterKind.INSTRUCTOR)[-1]
        peers = peer_mean(attempt)
        scores = Text(f"{attempt.trainee}   ", style="bold")
        scores.append(f"self {own.score:.0f}   ", style="bold cyan")
        scores.append(f"instructor {instructor.score:.0f}   ", style="bold magenta")
        scores.append(f"peers {peers:.0f}" if peers is not None else "peers –", style="bold yellow")
        gap = own.score - instructor.score
        scores.append(f"\nSelf minus instructor: {gap:+.0f} points", style="italic")
        self.query_one("#reveal-scores", Static).update(scores)
        table = self.query_one("#reveal-table", DataTable)
        table.add_columns("Criterion", "Self", "Instructor", "Peers", "Machine")
        self.fill_table()
        when_words_heard(self, self.practice, self.fill_table)

    def fill_table(self) -> None:
        table = self.query_one("#reveal-table", DataTable)
        table.clear()
        for row in reveal_rows(self.attempt, self.session.services.library):
            hint_ids = self.practice.scenario.rubric.criterion(row.criterion_id).hints
            marks = [(h, mark(h, self.practice.hints[h])) for h in hint_ids if h in self.practice.hints]
            known = [(h, sign) for h, sign in marks if sign != "?"]
            if self.practice.hearing and hint_ids:
                machine = "…"
            elif len(known) == 1:  # one check: its mark says it all
                machine = known[0][1]
            else:  # several checks share the cell: name each
                machine = " ".join(f"{SHORT_LABELS[h]} {sign}" for h, sign in known) or "–"
            differs = row.self_level is not None and row.self_level != row.instructor_level
            label = Text(row.label, style="bold yellow" if differs else "")
            table.add_row(
                label,
                level_text(row.self_level, row.top),
                level_text(row.instructor_level, row.top),
                level_text(row.peer_mean, row.top),
                machine,
            )


class DrillSummaryScreen(Screen[None]):
    """Leaderboards (round and drill) and calibration: where self-judgement and the instructor's differ."""

    BINDINGS = [Binding("p", "play_best", "Play best take"), Binding("escape", "app.go_start", "Done")]

    def __init__(self, session: DrillSession) -> None:
        super().__init__()
        self.session = session
        self.player: Player | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="drill-summary"):
            yield Label("Drill leaderboard (instructor score; self and peers beside)")
            yield DataTable(id="leaderboard", cursor_type="row")
            yield Static(id="rounds")
            yield Static(id="calibration")
        yield Footer()

    def on_mount(self) -> None:
        drill = self.session.drill
        self.sub_title = f"Drill {drill.id}: summary"
        attempts = self.session.attempts()
        self.standings = leaderboard(drill, attempts)
        table = self.query_one("#leaderboard", DataTable)
        table.add_columns("#", "Trainee", "Instructor", "Self", "Peers")
        for place, standing in enumerate(self.standings, start=1):
            table.add_row(
                str(place),
                standing.trainee,
                *(
                    f"{v:.0f}" if v is not None else "–"
                    for v in (standing.instructor, standing.self_score, standing.peers)
                ),
            )
        rounds = Text()
        for round_number in range(1, drill.rounds + 1):
            board = leaderboard(drill, attempts, round_number)
            shown = ", ".join(f"{s.trainee} {s.instructor:.0f}" for s in board if s.instructor is not None)
            rounds.append(f"Round {round_number}: ", style="bold")
            rounds.append((shown or "no instructor scores") + "\n")
        self.query_one("#rounds", Static).update(rounds)
        trainees, criteria = calibration(drill, attempts, self.session.services.library)
        text = Text("\nCalibration: self against instructor\n", style="bold")
        for line in trainees:
            takes = "1 take" if line.takes == 1 else f"{line.takes} takes"
            text.append(f"  {line.trainee}: {line.verdict} ({line.gap:+.0f} points over {takes})\n")
        if criteria:
            text.append("Where the class's self-judgement is weakest\n", style="bold")
            for line in criteria[:3]:
                direction = "over" if line.gap > 0 else "under" if line.gap < 0 else "mixed"
                text.append(
                    f"  {line.label}: agree {line.agreement:.0%} of takes, trainees {direction}-rate\n"
                )
        if not trainees:
            text.append("  Needs takes with both a self and an instructor score.\n", style="dim")
        text.append(f"\nExport: voicemail-sim export --drill {drill.id} --format csv", style="dim")
        self.query_one("#calibration", Static).update(text)

    def action_play_best(self) -> None:
        table = self.query_one("#leaderboard", DataTable)
        if not self.standings or table.cursor_row is None:
            return
        attempt_id = self.standings[table.cursor_row].best_attempt_id
        if attempt_id is None:
            return
        attempts = self.session.attempts()
        audio = self.session.paths[attempt_id].with_name(attempts[attempt_id].audio_file)
        if self.player is not None:
            self.player.stop()
        try:
            self.player = Player(self.app.audio(), Clip.load(audio))  # type: ignore[attr-defined]
        except AudioError as error:
            self.notify(str(error), severity="warning")
            return
        self.player.play()

    def on_unmount(self) -> None:
        if self.player is not None:
            self.player.stop()
