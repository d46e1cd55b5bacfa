"""Brief: the situation and the targets, the rubric as a checklist always in view beside them, and a
notes box (focused, so typing goes straight in); then dial."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static, TextArea

from simulator.scenarios import Scenario, as_called_by
from simulator.tui.context import voicemail_app
from simulator.tui.messages import DialWanted
from simulator.tui.text import brief_text, checklist_text


class BriefScreen(Screen[None]):
    """The brief stays beneath the call (the trainee comes back to it, notes and all, after hanging
    up), so it asks for the call with :class:`DialWanted` rather than being dismissed."""

    BINDINGS = [
        Binding("ctrl+d", "dial", "Dial", priority=True),
        # the brief scrolls while the notes have the keys (walked: at 80x24 "The call" was below
        # the fold, reached only by two Tabs, with nothing to say so)
        Binding("pagedown", "scroll_brief(1)", "Brief: more", priority=True),
        Binding("pageup", "scroll_brief(-1)", "Brief: back up", show=False, priority=True),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, scenario: Scenario, notes: str = "") -> None:
        super().__init__()
        self.scenario = scenario
        self.notes = notes

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="brief-columns"):
            with VerticalScroll(id="brief"):
                shown = as_called_by(self.scenario, voicemail_app(self).trainee)  # in the trainee's own name
                yield Static(brief_text(shown, with_rubric=False), id="brief-text")
            with VerticalScroll(id="checklist"):
                yield Static(checklist_text(self.scenario), id="checklist-text")
        with Vertical(id="notes-box"):
            yield Label("Your notes: draft, craft, revise (from a telesales coach). Ctrl+D dials.")
            yield TextArea(self.notes, id="notes")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Brief: {self.scenario.prospect.name}"
        self.query_one("#notes", TextArea).focus()  # typing goes straight into the notes

    def on_key(self, event: events.Key) -> None:
        """Typing with the brief focused (a Tab away from the notes) goes into the notes, not
        nowhere: walked, a sentence typed after a Tab was lost without a word."""
        notes = self.query_one("#notes", TextArea)
        if event.is_printable and event.character and not notes.has_focus:
            event.stop()
            notes.focus()
            notes.insert(event.character)

    def action_scroll_brief(self, pages: int) -> None:
        brief = self.query_one("#brief", VerticalScroll)
        brief.scroll_relative(y=pages * max(1, brief.size.height - 2), animate=False)

    def action_dial(self) -> None:
        self.post_message(DialWanted(self.scenario, self.query_one("#notes", TextArea).text))
