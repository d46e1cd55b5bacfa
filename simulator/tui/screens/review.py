"""Review: hear the take back (play, pause, seek), see its loudness against the window, and measurements."""

from __future__ import annotations

from enum import StrEnum

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Sparkline, Static

from simulator.analysis.measure import loudness_strip
from simulator.analysis.take import preview_line
from simulator.audio.base import AudioError, Clip
from simulator.audio.player import Player
from simulator.practice import PracticeAttempt
from simulator.scenarios import PhoneLine
from simulator.tui.context import voicemail_app
from simulator.tui.messages import AssessWanted, WordsHeard
from simulator.tui.screens.call import clock
from simulator.tui.text import measurements_text, not_recorded_text
from simulator.tui.widgets.meters import WindowRuler
from simulator.tui.widgets.preview import PreviewCard
from simulator.voice.line import as_heard

STRIP_COLUMNS = 120


class ReviewChoice(StrEnum):
    """What the trainee chose to do instead of assessing this take."""

    RERECORD = "rerecord"  # this take stays saved, unassessed; the new one is a new attempt


class ReviewScreen(Screen[ReviewChoice]):
    """Stays beneath the assessment (its player paused, to go back to), so it asks for that with
    :class:`AssessWanted`; dismissed only to re-record."""

    BINDINGS = [
        Binding("p,space", "toggle_play", "Play/pause"),
        # before the scroll view takes them; shown on the position line, to leave the footer room
        Binding("left", "seek(-2)", "-2 s", priority=True, show=False),
        Binding("right", "seek(2)", "+2 s", priority=True, show=False),
        Binding("h", "as_heard", "Phone line"),
        Binding("v", "whole_preview", "Their phone's text", show=False),  # the card says so
        Binding("a,enter", "assess", "Assess"),
        Binding("r", "rerecord", "Re-record"),
        Binding("escape", "go_start", "Scenarios"),
        Binding("escape", "go_campaign", "Campaign"),  # a campaign's step: back to its timeline
    ]

    def __init__(self, practice: PracticeAttempt) -> None:
        super().__init__()
        self.practice = practice
        self.player: Player | None = None
        self.takes: tuple[Clip, Clip] | None = None  # the take as recorded, and over the phone line
        self.over_line = False
        self.line = PhoneLine.LANDLINE

    def compose(self) -> ComposeResult:
        attempt = self.practice.attempt
        assert attempt is not None and self.practice.measurements is not None
        yield Header()
        with VerticalScroll(id="review"):
            yield Static(
                f"Your message to {self.practice.scenario.prospect.name}", id="review-title", markup=False
            )
            yield Sparkline([0.0], id="strip")
            yield WindowRuler(self.practice.scenario.targets, attempt.duration_s, id="ruler")
            targets = self.practice.scenario.targets
            window = f"{targets.min_seconds:g}-{targets.max_seconds:g} s from the beep"
            drawn = attempt.duration_s >= targets.min_seconds  # else the ruler says where it starts
            yield Static(
                f"[green]━[/] the target window, {window}" if drawn else f"The target window: {window}",
                id="ruler-legend",
            )
            yield Static(f"0:00.0 / {clock(attempt.duration_s)}", id="position")
            yield Static(self.measurements(), id="measurements")
            yield PreviewCard(self.practice, id="phone-preview")
        yield Footer()

    def measurements(self) -> Text:
        assert self.practice.measurements is not None
        if not self.practice.recorded:
            return not_recorded_text(self.practice.measurements.duration_s)
        return measurements_text(self.practice.measurements, self.practice.analysis, self.practice.hearing)

    def on_mount(self) -> None:
        self.sub_title = f"Review: {self.practice.scenario.title}"
        self.load_take()
        self.set_interval(1 / 10, self.show_position)

    def on_words_heard(self, message: WordsHeard) -> None:
        if message.practice is self.practice:
            self.query_one("#measurements", Static).update(self.measurements())
            self.query_one(PreviewCard).start()

    def action_whole_preview(self) -> None:
        self.query_one(PreviewCard).toggle_whole()

    @work(thread=True, exclusive=True)
    def load_take(self) -> None:
        assert self.practice.audio_path is not None
        clip = Clip.load(self.practice.audio_path)
        strip = loudness_strip(clip, STRIP_COLUMNS)
        self.line = preview_line(self.practice.scenario, voicemail_app(self).services.settings.phone_line)
        heard = as_heard(clip, self.line)  # about 50 ms for a 30-second take
        self.app.call_from_thread(self.take_loaded, clip, strip, heard)

    def take_loaded(self, clip: Clip, strip: list[float], heard: Clip) -> None:
        self.query_one("#strip", Sparkline).data = strip or [0.0]
        self.takes = (clip, heard)
        app = voicemail_app(self)
        try:
            self.player = Player(app.audio(), clip)
            if app.services.settings.play_back:  # hear it back at once, as the brief promises
                self.player.play()
        except AudioError as error:
            self.notify(f"Cannot play the take: {error}", severity="warning")

    def show_position(self) -> None:
        if self.player is None:
            return
        state = "▶ playing" if self.player.playing else "❚❚ paused"
        name = self.practice.scenario.prospect.name.split()[0]
        heard = f"   as {name} hears it ({self.line.value}): h for yours" if self.over_line else "   ← → 2 s"
        self.query_one("#position", Static).update(
            f"{clock(self.player.position_s)} / {clock(self.player.duration_s)}   {state}{heard}",
        )

    def action_as_heard(self) -> None:
        """Switch between the take as recorded and as the prospect hears it, at the same place."""
        if self.player is None or self.takes is None:
            return
        self.over_line = not self.over_line
        self.player.switch_to(self.takes[self.over_line])
        self.show_position()

    def action_toggle_play(self) -> None:
        if self.player is not None:
            self.player.toggle()

    def action_seek(self, seconds: float) -> None:
        if self.player is not None:
            self.player.seek(seconds)

    def action_assess(self) -> None:
        if self.player is not None:
            self.player.pause()
        self.post_message(AssessWanted(self.practice))

    def action_rerecord(self) -> None:
        if self.player is not None:
            self.player.stop()
        self.dismiss(ReviewChoice.RERECORD)

    def action_go_start(self) -> None:
        voicemail_app(self).action_go_start()

    def action_go_campaign(self) -> None:
        voicemail_app(self).action_go_campaign()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Esc goes back to where the take was started from: the campaign, or the scenarios
        (walked: "esc Scenarios" on a campaign's step left the campaign)."""
        in_campaign = self.practice.scenario.campaign is not None
        if action == "go_start":
            return not in_campaign
        if action == "go_campaign":
            return in_campaign
        return True

    def on_unmount(self) -> None:
        if self.player is not None:
            self.player.stop()
