"""The campaign summary: per step score and timing, what repeated between messages, the cadence,
and the one thing to change in the next campaign."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from simulator.campaign_progress import CampaignProgress
from simulator.tui.campaign_text import summary_text


class CampaignSummaryScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, record: CampaignProgress) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="campaign-summary-box"):
            yield Static(summary_text(self.record), id="campaign-summary")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Campaign summary"
        self.query_one("#campaign-summary-box", VerticalScroll).focus()
