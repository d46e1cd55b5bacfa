"""Start: the trainee's name, the scenarios with their tries and best scores, and a preview."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from simulator.attempts import Attempt, points
from simulator.campaign_progress import progress
from simulator.campaigns import Campaign
from simulator.names import normalise_name
from simulator.scenarios import Scenario, as_called_by
from simulator.tui.campaign_text import campaign_preview, campaign_prompt
from simulator.tui.context import voicemail_app
from simulator.tui.messages import AttemptsLoaded, BriefWanted, CampaignWanted
from simulator.tui.text import brief_text

CAMPAIGN_OPTION = "campaign:"  # the option id of a campaign: "campaign:<id>" (scenario ids have no colon)


def scenario_prompt(scenario: Scenario, tries: int, best: float | None) -> Text:
    targets = scenario.targets
    text = Text(scenario.title, style="bold")
    record = f"tried {tries}×, best {points(best)}" if tries and best is not None else "not tried yet"
    if tries and best is None:
        record = f"tried {tries}×"
    text.append(
        f"\n  {scenario.kind.value} · {scenario.prospect.name} · "
        f"{targets.min_seconds:g}-{targets.max_seconds:g} s · {record}",
        style="dim",
    )
    return text


class ScenarioList(OptionList):
    """The scenarios and campaigns; Enter, which opens the highlighted one, is shown in the footer
    while the list has the keys (walked: "⏎ Read the brief" showed only when the preview had them,
    as the list's own Enter is unlabelled)."""

    BINDINGS = [Binding("enter", "select", "Open", show=True)]


START_HELP = "Your name, then Enter to pick a scenario (then h history, d drill, r reports). Ctrl+Q quits."


class StartScreen(Screen[None]):
    """The app's first screen; it stays at the bottom of the practice screens."""

    BINDINGS = [
        Binding("enter", "brief", "Read the brief", show=True, priority=False),
        Binding("h", "app.history", "History"),
        Binding("d", "app.drill", "Drill"),
        Binding("r", "app.reports", "Reports"),
        Binding("n", "focus_name", "Name"),
        Binding("ctrl+q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.attempts: list[Attempt] = []  # everyone's, as last read (read again on each return here)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="start"):
            with Vertical(id="start-left"):
                # said here, not only in the footer: while the name box has the keys, the footer
                # shows none of the screen's (Enter, h, d, r are the box's), and Ctrl+Q is the app's
                yield Static(START_HELP, id="start-help")
                yield Input(placeholder="Type your name", id="trainee")
                yield Label("Scenarios and campaigns")
                yield ScenarioList(id="scenarios")
            with VerticalScroll(id="preview-box"):
                yield Static(id="preview")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#trainee", Input).value = voicemail_app(self).trainee
        self.refresh_scenarios()
        voicemail_app(self).read_attempts(self)
        # Always the name first, its text selected: on a shared workstation the next trainee just
        # types their own name over the last one. With the list focused instead, their typing hit
        # the screen's one-letter keys (the "r" in "Instructor" opened Reports, seen in tmux).
        name = self.query_one("#trainee", Input)
        name.focus()
        name.call_after_refresh(name.select_all)

    def on_screen_resume(self) -> None:
        voicemail_app(self).read_attempts(self)

    def on_attempts_loaded(self, message: AttemptsLoaded) -> None:
        self.attempts = message.listing.attempts
        self.refresh_scenarios()

    def refresh_scenarios(self) -> None:
        """The scenarios with the trainee's tries and best scores (from the records last read)."""
        app = voicemail_app(self)
        attempts = self.mine()
        options = self.query_one("#scenarios", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for scenario in app.services.library.ordered():
            mine = [a for a in attempts if a.scenario_id == scenario.id]
            scores = [a.self_score for a in mine if a.self_score is not None]
            options.add_option(
                Option(scenario_prompt(scenario, len(mine), max(scores, default=None)), scenario.id)
            )
        for campaign in app.services.campaigns.ordered():
            record = progress(campaign, attempts, app.trainee)
            options.add_option(Option(campaign_prompt(record), f"{CAMPAIGN_OPTION}{campaign.id}"))
        options.highlighted = highlighted if highlighted is not None else 0
        self.show_preview()

    def mine(self) -> list[Attempt]:
        """The attempts of the trainee named in the box (as the campaign screens match names)."""
        name = normalise_name(voicemail_app(self).trainee)
        return [a for a in self.attempts if normalise_name(a.trainee) == name]

    def selected(self) -> Scenario | Campaign | None:
        options = self.query_one("#scenarios", OptionList)
        if options.highlighted is None:
            return None
        option = options.get_option_at_index(options.highlighted)
        assert option.id is not None
        services = voicemail_app(self).services
        if option.id.startswith(CAMPAIGN_OPTION):
            return services.campaigns.get(option.id.removeprefix(CAMPAIGN_OPTION))
        return services.library.get(option.id)

    @on(OptionList.OptionHighlighted, "#scenarios")
    def show_preview(self) -> None:
        chosen, app = self.selected(), voicemail_app(self)
        if isinstance(chosen, Campaign):
            self.query_one("#preview", Static).update(
                campaign_preview(progress(chosen, self.mine(), app.trainee))
            )
        elif chosen is not None:
            shown = as_called_by(chosen, app.trainee)
            self.query_one("#preview", Static).update(brief_text(shown, with_rubric=False))

    @on(Input.Submitted, "#trainee")
    def name_entered(self, event: Input.Submitted) -> None:
        # remembered now, as the screen says: an instructor may go on to a drill or the reports
        # and never open a brief (walked: the name was gone at the next launch)
        if event.value.strip():
            voicemail_app(self).remember_trainee(event.value.strip())
        self.query_one("#scenarios", OptionList).focus()

    @on(Input.Changed, "#trainee")
    def name_changed(self, event: Input.Changed) -> None:
        """The list's tries and scores, and the preview, follow the name as it is typed (walked: they
        stayed the last trainee's after the name was changed)."""
        voicemail_app(self).trainee = event.value.strip()
        self.refresh_scenarios()

    @on(OptionList.OptionSelected, "#scenarios")
    def scenario_chosen(self) -> None:
        self.action_brief()

    def action_focus_name(self) -> None:
        self.query_one("#trainee", Input).focus()

    def action_brief(self) -> None:
        name = self.query_one("#trainee", Input).value.strip()
        if not name:
            self.notify("Type your name first: your attempts are kept under it.", severity="warning")
            self.query_one("#trainee", Input).focus()
            return
        voicemail_app(self).remember_trainee(name)
        chosen = self.selected()
        if isinstance(chosen, Campaign):
            self.post_message(CampaignWanted(chosen))
        elif chosen is not None:
            self.post_message(BriefWanted(chosen))
