"""The prospect's inbox: the campaign as their phone lists it, and the whole sequence played in order
over their phone line ("hear your campaign as Peggy will")."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from simulator.analysis.take import preview_line
from simulator.audio.base import AudioError, Clip
from simulator.audio.player import Player
from simulator.campaign_inbox import InboxMessage, Sequence, inbox, joined
from simulator.campaign_progress import CampaignProgress
from simulator.tui.campaign_text import inbox_row
from simulator.tui.context import voicemail_app
from simulator.tui.playback import play
from simulator.tui.screens.call import clock
from simulator.voice.line import as_heard


class InboxScreen(Screen[None]):
    BINDINGS = [
        Binding("a", "play_all", "Play all, in order"),
        Binding("p,space", "play_one", "Play this one"),
        Binding("escape", "close", "Back"),
    ]

    def __init__(self, record: CampaignProgress, record_paths: dict[str, Path]) -> None:
        super().__init__()
        self.record = record
        self.messages: list[InboxMessage] = inbox(record, record_paths)
        self.player: Player | None = None
        self.sequence: Sequence | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="inbox"):
            yield Static(id="inbox-head")
            yield DataTable(id="messages", cursor_type="row", zebra_stripes=True)
            yield Static("", id="inbox-playing")
        yield Footer()

    def on_mount(self) -> None:
        prospect = self.record.campaign.prospect
        self.sub_title = f"{prospect.name.split()[0]}'s voicemail"
        left = sum(m.left for m in self.messages)
        self.query_one("#inbox-head", Static).update(  # Text: names are never markup
            Text(
                f"Voicemail · {left} message{'s' if left != 1 else ''} from {self.record.trainee or 'you'}\n"
                f"a plays them all in order, as {prospect.name.split()[0]} will hear them."
            )
        )
        table = self.query_one("#messages", DataTable)
        words = max(30, self.app.size.width - 30)  # the rest of the line: as much as a phone shows
        for label, width in (("When", 16), ("Len", 4), ("First words", words)):
            table.add_column(label, width=width)
        for message in self.messages:
            table.add_row(*inbox_row(message, words))
        table.focus()
        self.set_interval(1 / 10, self.show_playing)

    def _over_the_line(self, clip: Clip) -> Clip:
        setting = voicemail_app(self).services.settings.phone_line
        return as_heard(clip, preview_line(self.record.campaign.step_scenario(1), setting))

    def action_play_all(self) -> None:
        self.stop_playing()
        sequence = joined(self.messages, Clip.load)
        if sequence.missing:
            steps = ", ".join(map(str, sequence.missing))
            self.notify(f"The audio of message {steps} could not be read: left out.", severity="warning")
        if not sequence.starts:
            self.notify("No message has been left yet: play a step from the timeline first.")
            return
        self.sequence = sequence
        self.player = play(self, self._over_the_line(sequence.clip))

    def action_play_one(self) -> None:
        table = self.query_one("#messages", DataTable)
        message = self.messages[table.cursor_row] if self.messages else None
        if message is None or message.audio is None:
            self.notify("No message was left at this step yet.")
            return
        self.stop_playing()
        try:
            clip = Clip.load(message.audio)
        except AudioError as error:
            self.notify(str(error), severity="warning")
            return
        self.player = play(self, self._over_the_line(clip))

    def show_playing(self) -> None:
        shown = ""
        if self.player is not None:
            state = "▶ playing" if self.player.playing else "■ played"
            shown = f"{state}  {clock(self.player.position_s)} / {clock(self.player.duration_s)}"
            step = self.sequence.playing_step(self.player.position_s) if self.sequence else None
            if step is not None:
                shown += f"   message {step}: {self.record.campaign.step(step).when}"
        self.query_one("#inbox-playing", Static).update(shown)

    def stop_playing(self) -> None:
        if self.player is not None:
            self.player.stop()
        self.player, self.sequence = None, None

    def action_close(self) -> None:
        self.stop_playing()
        self.app.pop_screen()
