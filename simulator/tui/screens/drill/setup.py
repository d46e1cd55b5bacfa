"""Drill set-up: roster, scenarios, rounds, order and preparation time; the planned drill is its result."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Header, Input, Label, SelectionList, Static, TextArea

from simulator.drill import DEFAULT_PREP_S, MAX_NAME, Drill, RosterError, load_roster, parse_roster_text
from simulator.names import safe_name
from simulator.tui.context import voicemail_app
from simulator.tui.widgets.ticks import TickBox, TickList


class DrillSetupScreen(Screen[Drill | None]):
    """Roster, scenarios, rounds, order and preparation time; dismissed with the drill to run."""

    BINDINGS = [
        Binding("ctrl+s", "start", "Start the drill", priority=True),
        Binding("escape", "dismiss(None)", "Back"),
    ]

    def __init__(
        self,
        roster: list[str] | None = None,
        scenario_ids: list[str] | None = None,
        rounds: int = 1,
        shuffle: bool = False,
        prep_seconds: int = DEFAULT_PREP_S,
    ) -> None:
        super().__init__()
        self.roster, self.scenario_ids = roster or [], scenario_ids or []
        self.rounds, self.shuffle, self.prep_seconds = rounds, shuffle, prep_seconds

    def compose(self) -> ComposeResult:
        services = voicemail_app(self).services
        library = services.library
        chosen = self.scenario_ids or [library.ordered()[0].id]
        # a campaign's step can be drilled too: each trainee leaves it after their own earlier step
        steps = [
            # named by the prospect: a campaign's long title, cut off at 80 columns, left its steps
            # looking alike, and two campaigns both have "A teaser" (walked)
            (Text(f"{c.prospect.name.split()[0]}, step {step.number} of {len(c.steps)}: {step.title}"),
             c.step_id(step.number))
            for c in services.campaigns.ordered()
            for step in c.steps
        ]  # fmt: skip
        yield Header()
        with Horizontal(id="drill-setup"):
            with Vertical(id="roster-box"):
                yield Static("Roster: one name per line, or a roster file (CSV with a name column, or TOML):")
                yield TextArea("\n".join(self.roster), id="roster")
                yield Input(
                    placeholder="its path, then Enter",
                    id="roster-file",
                )
                yield Label("Instructor (on your scores)")
                yield Input(self.instructor_guess(), placeholder="your name", id="instructor")
            with Vertical(id="drill-options"):
                yield Static("Scenarios, or campaign steps by their prospect: one per round, in turn")
                yield TickList(
                    *[(Text(s.title), s.id, s.id in chosen) for s in library.ordered()],
                    *[(title, step_id, step_id in chosen) for title, step_id in steps],
                    id="drill-scenarios",
                )
                with Horizontal(classes="drill-row"):
                    yield Label("Rounds")
                    yield Input(str(self.rounds), id="rounds", type="integer")
                    yield Label("Prep s")
                    yield Input(str(self.prep_seconds), id="prep", type="integer")
                yield TickBox("Shuffle the order each round", self.shuffle, id="shuffle")
        yield Footer()

    def instructor_guess(self) -> str:
        """The name typed on the start screen, unless it is a trainee's on this roster."""
        typed = voicemail_app(self).trainee
        return "" if typed.casefold() in {n.casefold() for n in self.roster} else typed

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
        if not self.instructor_name():  # walked: the exports then read "instructor,instructor"
            self.notify(
                "Type the instructor's name: your scores carry it into the exports.", severity="warning"
            )
            self.query_one("#instructor", Input).focus()
            return
        scenario_ids = list(self.query_one("#drill-scenarios", SelectionList).selected)
        try:
            rounds = int(self.query_one("#rounds", Input).value or "1")
            prep = int(self.query_one("#prep", Input).value or str(DEFAULT_PREP_S))
            drill = Drill.plan(
                roster,
                scenario_ids,
                rounds,
                shuffle=self.query_one("#shuffle", Checkbox).value,
                prep_seconds=max(0, prep),
                instructor=self.instructor_name(),
            )
        except ValueError as error:
            self.notify(f"Cannot start: {error}", severity="error")
            return
        self.dismiss(drill)

    def instructor_name(self) -> str:
        typed = self.query_one("#instructor", Input).value
        return safe_name(typed)[:MAX_NAME]
