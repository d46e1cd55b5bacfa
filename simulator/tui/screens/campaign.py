"""A campaign's timeline: every step's simulated date, done or next, score and length.

The screen stays beneath the step it plays (as the start screen does), and is read again each time
it comes back on top, so a step just left shows as done.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from simulator.attempts import Attempt, points
from simulator.campaign_progress import CampaignProgress, progress
from simulator.campaigns import Campaign
from simulator.records import RecordError
from simulator.scenarios import as_called_by
from simulator.tui.campaign_text import length_of, next_step_line, status_of, step_detail
from simulator.tui.context import voicemail_app
from simulator.tui.messages import AttemptsLoaded, BriefWanted
from simulator.tui.screens.campaign_summary import CampaignSummaryScreen
from simulator.tui.screens.inbox import InboxScreen
from simulator.tui.text import shorten

# the table's other columns and the cells' padding; the message title takes the rest, within bounds
OTHER_COLUMNS = 2 + 16 + 7 + 4 + 4 + 6 * 2 + 2
MESSAGE_MIN, MESSAGE_MAX = 28, 60


class CampaignScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "play", "Play step", priority=True),
        Binding("i", "inbox", "Inbox"),
        Binding("s", "summary", "Summary"),
        Binding("t", "pick", "Take that counts"),
        Binding("escape", "close", "Back"),
    ]

    def __init__(self, campaign: Campaign) -> None:
        super().__init__()
        self.campaign = campaign
        self.record: CampaignProgress | None = None
        self.paths: dict[str, Path] = {}
        self.title_width = MESSAGE_MIN

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="campaign"):
            yield Static(id="campaign-head")
            yield DataTable(id="steps", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="step-detail-box"):
                yield Static(id="step-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Campaign: {self.campaign.title}"
        self.set_columns()
        self.query_one("#steps", DataTable).focus()
        self.query_one("#campaign-head", Static).update("Reading your takes…")
        voicemail_app(self).read_attempts(self)

    def fitting_width(self) -> int:
        """The message column's width at the terminal's width: what the other columns leave."""
        return max(MESSAGE_MIN, min(MESSAGE_MAX, self.app.size.width - OTHER_COLUMNS))

    def set_columns(self) -> None:
        self.title_width = self.fitting_width()
        table = self.query_one("#steps", DataTable)
        table.clear(columns=True)
        for label, width in (("#", 2), ("When", 16), ("Message", self.title_width), ("Status", 7),
                             ("Self", 4), ("Len", 4)):  # fmt: skip
            table.add_column(label, width=width)

    def on_resize(self) -> None:
        """Made wider or narrower: the message column follows (walked: cut at 120 as at 80)."""
        if self.fitting_width() == self.title_width:
            return
        table = self.query_one("#steps", DataTable)
        row = table.cursor_row
        self.set_columns()  # while the takes are still being read too: they fill these columns
        if self.record is not None:
            self.show(self.record)
            table.move_cursor(row=row)

    def on_screen_resume(self) -> None:
        voicemail_app(self).read_attempts(self)

    def on_attempts_loaded(self, message: AttemptsLoaded) -> None:
        self.paths = message.listing.paths
        self.show(progress(self.campaign, message.listing.attempts, voicemail_app(self).trainee))

    def show(self, record: CampaignProgress) -> None:
        moved_on = self.record is None or self.record.done != record.done
        self.record = record
        campaign = record.campaign
        head = Text(
            f"{campaign.prospect.name}, {campaign.prospect.company} · {record.label()}\n", style="bold"
        )
        head.append(next_step_line(record), style="dim")
        self.query_one("#campaign-head", Static).update(head)
        table = self.query_one("#steps", DataTable)
        # on opening, and once a step is left: the next step; else where the trainee was
        cursor = (record.next_step or len(record.steps)) - 1 if moved_on else table.cursor_row
        table.clear()
        for step in record.steps:
            score = step.score
            table.add_row(
                str(step.step.number),
                step.step.when,
                Text(shorten(step.step.title, self.title_width)),
                status_of(step, record.next_step),
                str(points(score)) if score is not None else "-",
                length_of(step),
            )
        table.move_cursor(row=min(cursor, len(record.steps) - 1))
        self.show_detail()

    @on(DataTable.RowHighlighted)
    def show_detail(self) -> None:
        step = self.highlighted()
        if self.record is not None and step is not None:
            self.query_one("#step-detail", Static).update(step_detail(self.record.steps[step - 1]))

    def highlighted(self) -> int | None:
        table = self.query_one("#steps", DataTable)
        if self.record is None or not table.row_count:
            return None
        return table.cursor_row + 1

    def action_play(self) -> None:
        number = self.highlighted()
        if self.record is None or number is None:
            return
        scenario = self.campaign.step_scenario(number, self.record.earlier(number))
        self.post_message(BriefWanted(as_called_by(scenario, voicemail_app(self).trainee)))

    def action_inbox(self) -> None:
        if self.record is not None:
            self.app.push_screen(InboxScreen(self.record, self.paths))

    def action_summary(self) -> None:
        if self.record is not None:
            self.app.push_screen(CampaignSummaryScreen(self.record))

    def action_pick(self) -> None:
        """Make the highlighted step's next take the one that counts (round the takes in turn)."""
        number = self.highlighted()
        if self.record is None or number is None:
            return
        step = self.record.steps[number - 1]
        if len(step.takes) < 2 or step.counted is None:
            self.notify("This step has one take or none: there is no other to pick.")
            return
        picked = step.takes[(step.takes.index(step.counted) + 1) % len(step.takes)]
        try:
            self.choose(picked)
        except (OSError, RecordError) as error:
            self.notify(f"Could not keep the choice: {error}", severity="warning")
            return
        self.notify(f"Take {step.takes.index(picked) + 1} now counts for step {number}.")
        voicemail_app(self).read_attempts(self)

    def choose(self, take: Attempt) -> None:
        store = voicemail_app(self).services.store
        audio = self.paths[take.id].with_name(take.audio_file)
        now = datetime.now().astimezone()
        store.update(audio, lambda saved: dataclasses.replace(saved or take, chosen_at=now))

    def action_close(self) -> None:
        self.app.pop_screen()
