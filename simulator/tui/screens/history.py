"""History: the trainee's attempts; replay any take and read its assessment."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from simulator.analysis.take import preview_line
from simulator.attempts import Attempt, points
from simulator.audio.base import AudioError, Clip
from simulator.audio.player import Player
from simulator.campaigns import Campaign
from simulator.practice import PracticeAttempt
from simulator.records import RecordError
from simulator.scenarios import PhoneLine, Scenario
from simulator.tui.context import voicemail_app
from simulator.tui.messages import AttemptsLoaded
from simulator.tui.screens.assess import AssessScreen
from simulator.tui.screens.call import clock
from simulator.tui.text import checks_text, measurements_text, shorten
from simulator.voice.line import as_heard

# the date, length and score columns, each cell's padding, the scrollbar and the screen's padding
OTHER_COLUMNS = 16 + 7 + 4 + 4 * 2 + 2 + 2
TITLE_MIN, TITLE_MAX = 24, 60


def row_title(attempt: Attempt, campaigns: Mapping[str, Campaign]) -> str:
    """The scenario's title; for a campaign's step, the step first ("2/3 Monday: over the weekend…
    · Friday, Monday, …"), so its takes tell apart when cut (walked: every row read "Friday, Monday,
    Wednesday: Marcus and th…")."""
    campaign = campaigns.get(attempt.campaign_id) if attempt.campaign_step else None
    if campaign is None or not 1 <= attempt.campaign_step <= len(campaign.steps):
        return attempt.scenario_title
    step = campaign.step(attempt.campaign_step)
    return f"{attempt.campaign_step}/{len(campaign.steps)} {step.title} · {campaign.title}"


def assessment_text(attempt: Attempt, scenario: Scenario | None = None) -> Group:
    """The attempt: its assessments by criterion label and scale ("Call to action: yes"), then the
    machine's checks, and what it measured and heard. ``scenario``: where its labels come from
    (None: the ids)."""
    criteria = {c.id: c for c in scenario.rubric.criteria} if scenario else {}
    text = Text(f"{attempt.scenario_title}\n", style="bold")
    text.append(f"{attempt.started_at:%a %d %b %Y %H:%M} · {attempt.message_s:.1f} s to the last word")
    text.append(f" ({attempt.duration_s:.1f} s recorded)\n", style="dim")
    if not attempt.assessments:
        text.append("Not assessed yet: a assesses it.\n", style="yellow")
    for scored in attempt.assessments:
        assessment = scored.assessment
        text.append(
            f"\n{assessment.rater}: {points(scored.score)} ({scored.timing_verdict.value})\n",
            style="bold cyan",
        )
        for criterion_id, level in assessment.ratings.items():
            criterion = criteria.get(criterion_id)
            label = criterion.label if criterion else criterion_id
            shown = criterion.scale.label(level) if criterion else str(level)
            note = assessment.criterion_notes.get(criterion_id, "")
            text.append(f"  {label}: {shown}" + (f"  ({note})" if note else "") + "\n")
        if assessment.notes:
            text.append(f"  Notes: {assessment.notes}\n", style="italic")
    if attempt.recording_error:
        text.append(f"\nRecording problem: {attempt.recording_error}\n", style="yellow")
    text.rstrip()  # the sections below open with their own blank line
    parts: list[RenderableType] = [text]
    if attempt.analysis is not None and attempt.analysis.hints:
        used = [h for c in scenario.rubric.criteria for h in c.hints] if scenario else attempt.analysis.hints
        parts.append(checks_text(used, attempt.analysis.hints))
    if attempt.analysis is not None:
        measured = Text("\nWhat the machine measured\n", style="bold magenta")
        measured.append_text(measurements_text(attempt.analysis.measurements, attempt.analysis))
        parts.append(measured)
    return Group(*parts)


class HistoryScreen(Screen[None]):
    """The attempts are read in a worker and listed when they come."""

    BINDINGS = [
        Binding("p,space", "play", "Play/pause"),
        Binding("h", "as_heard", "Phone line"),
        Binding("a", "assess", "Assess"),
        # the detail scrolls while the list keeps the arrows (walked: PageDown moved the list, and
        # only a Tab, which nothing mentioned, reached the detail)
        Binding("pagedown", "scroll_detail(1)", "More", priority=True),
        Binding("pageup", "scroll_detail(-1)", "Detail: back up", show=False, priority=True),
        Binding("escape", "close", "Back"),
    ]

    def action_scroll_detail(self, pages: int) -> None:
        box = self.query_one("#attempt-detail-box", VerticalScroll)
        box.scroll_relative(y=pages * max(1, box.size.height - 2), animate=False)

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Attempt] = []
        self.shown: Attempt | None = None  # the attempt in the detail
        self.title_width = TITLE_MIN
        self.paths: dict[str, Path] = {}
        self.player: Player | None = None
        self.takes: tuple[Clip, Clip] | None = None  # the take as recorded, and over the phone line
        self.over_line = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="history"):
            yield DataTable(id="attempts", cursor_type="row", zebra_stripes=True)
            yield Static("", id="playback")
            with VerticalScroll(id="attempt-detail-box"):  # Tab, then the arrows, to read it all
                yield Static(id="attempt-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"History: {voicemail_app(self).trainee or 'everyone'}"
        table = self.query_one("#attempts", DataTable)
        self.set_columns()
        table.focus()
        voicemail_app(self).read_attempts(self)
        self.set_interval(1 / 10, self.show_playback)

    def fitting_width(self) -> int:
        """The scenario column's width at the terminal's width: what the other columns leave."""
        return max(TITLE_MIN, min(TITLE_MAX, self.app.size.width - OTHER_COLUMNS))

    def set_columns(self) -> None:
        """Fixed widths (the widest each can be): the table keeps its shape while the rows come in;
        the scenario takes what the others leave (walked: cut at 34 with 14 columns spare at 80)."""
        self.title_width = self.fitting_width()
        table = self.query_one("#attempts", DataTable)
        table.clear(columns=True)
        for label, width in (("Date", 16), ("Scenario", self.title_width), ("Length", 7), ("Self", 4)):
            table.add_column(label, width=width)

    def on_resize(self) -> None:
        """The terminal made wider or narrower: the scenario column follows (walked: at 120 columns
        it stayed cut as it was at 80)."""
        if self.fitting_width() != self.title_width:
            chosen = self.selected()
            self.set_columns()
            self.fill_rows(chosen)

    def show_playback(self) -> None:
        shown = ""
        if self.player is not None:
            state = "▶ playing" if self.player.playing else "❚❚ paused"
            shown = f"{state}  {clock(self.player.position_s)} / {clock(self.player.duration_s)}"
            if self.over_line:
                shown += "   as the prospect hears it: h for yours"
        self.query_one("#playback", Static).update(shown)

    def scenario_of(self, attempt: Attempt) -> Scenario | None:
        return voicemail_app(self).services.rubric_library.scenarios.get(attempt.scenario_id)

    def on_attempts_loaded(self, message: AttemptsLoaded) -> None:
        trainee = voicemail_app(self).trainee
        listing = message.listing
        chosen = self.selected()  # read again after an assessment: the cursor stays on its take
        self.paths = listing.paths
        self.rows = [a for a in reversed(listing.attempts) if not trainee or a.trainee == trainee]
        self.fill_rows(chosen)
        if not self.rows:
            self.query_one("#attempt-detail", Static).update(
                "No attempts yet. Practise one from the start screen."
            )
        for problem in listing.problems:
            self.notify(f"Skipped a record: {problem}", severity="warning")

    def fill_rows(self, chosen: Attempt | None) -> None:
        """The table's rows from :attr:`rows`, the cursor on ``chosen`` if it is among them."""
        table = self.query_one("#attempts", DataTable)
        table.clear()
        campaigns = voicemail_app(self).services.campaigns.campaigns
        for attempt in self.rows:
            score = attempt.self_score
            table.add_row(
                f"{attempt.started_at:%Y-%m-%d %H:%M}",
                Text(shorten(row_title(attempt, campaigns), self.title_width)),  # a title, never markup
                f"{attempt.message_s:5.1f} s",  # as Results, the timeline and the inbox judge it
                str(points(score)) if score is not None else "-",
                key=attempt.id,
            )
        ids = [a.id for a in self.rows]
        if chosen is not None and chosen.id in ids:
            table.move_cursor(row=ids.index(chosen.id))

    def selected(self) -> Attempt | None:
        table = self.query_one("#attempts", DataTable)
        if not self.rows or table.cursor_row is None:
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def show_detail(self) -> None:
        attempt = self.selected()
        if attempt is not None and (attempt is not self.shown or self.player is None):
            self.shown = attempt  # the rows refilled (a resize) on the same take: it plays on
            detail = assessment_text(attempt, self.scenario_of(attempt))
            self.query_one("#attempt-detail", Static).update(detail)
            self.stop_playing()

    def action_play(self) -> None:
        attempt = self.selected()
        if attempt is None:
            return
        if self.player is None:
            audio = self.paths[attempt.id].with_name(attempt.audio_file)
            try:
                clip = Clip.load(audio)
                self.player = Player(voicemail_app(self).audio(), clip)
            except AudioError as error:
                self.notify(str(error), severity="warning")
                return
            scenario = self.scenario_of(attempt)
            setting = voicemail_app(self).services.settings.phone_line
            line = preview_line(scenario, setting) if scenario else PhoneLine.LANDLINE
            self.takes, self.over_line = (clip, as_heard(clip, line)), False
        self.player.toggle()

    def action_as_heard(self) -> None:
        """Switch the take playing between as recorded and as the prospect hears it, in place."""
        if self.player is None or self.takes is None:
            self.notify("Play a take first (p), then h hears it as the prospect does.")
            return
        self.over_line = not self.over_line
        self.player.switch_to(self.takes[self.over_line])

    def action_assess(self) -> None:
        """Assess the highlighted take (another rating if it has one): the same screen as after a take."""
        attempt = self.selected()
        scenario = self.scenario_of(attempt) if attempt else None
        if attempt is None or scenario is None:
            self.notify("This take's scenario is not in the library: it cannot be assessed here.")
            return
        self.stop_playing()
        store = voicemail_app(self).services.store
        try:
            practice = PracticeAttempt.from_record(store, scenario, self.paths[attempt.id])
        except (RecordError, OSError) as error:
            self.notify(f"Cannot open the take's record: {error}", severity="warning")
            return
        self.app.push_screen(AssessScreen(practice), lambda _: voicemail_app(self).read_attempts(self))

    def stop_playing(self) -> None:
        if self.player is not None:
            self.player.stop()
            self.player = None
            self.takes, self.over_line = None, False

    def action_close(self) -> None:
        self.stop_playing()
        self.app.pop_screen()
