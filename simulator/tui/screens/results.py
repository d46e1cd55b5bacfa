"""Results: the score, the timing verdict, strengths, what to work on, the model message, the trend."""

from __future__ import annotations

from enum import StrEnum

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Digits, Footer, Header, Static

from simulator.analysis.hints import MARK_STYLES, Disagreement, disagreements
from simulator.attempts import Attempt, Rater, RaterKind, ScoredAssessment, TimingVerdict, points
from simulator.practice import Feedback, PracticeAttempt, previous_scores
from simulator.records import RecordError, load_record
from simulator.report import sparkline
from simulator.scenarios import as_called_by
from simulator.tui.context import voicemail_app
from simulator.tui.messages import AttemptsLoaded, WordsHeard
from simulator.tui.text import STILL_HEARING, WORDS_LOST, bulleted, words_lost
from simulator.tui.widgets.preview import PreviewCard


class ResultsChoice(StrEnum):
    """Where the trainee goes from the results (the app decides what that means)."""

    RETRY = "retry"  # this scenario's brief again, with the same notes
    NEXT = "next"  # the next scenario's brief


EVIDENCE_DISAGREES = (
    "You rated every criterion at the top, but the machine's evidence here disagrees: listen back before "
    "you move on to a harder scenario."
)


def score_caption(rater: Rater) -> str:
    """Whose score the big digits are: the trainee's own rating, never the machine's (walked:
    "Your score 100" beside "✗ repeats message 1" read as the machine's verdict)."""
    if rater.kind is RaterKind.SELF:
        return "Your own rating"
    return f"{rater.kind.value.capitalize()}'s rating" + (f" ({rater.name})" if rater.name else "")


def disagreement_line(item: Disagreement) -> Text:
    """One criterion where the rating and the machine's evidence part: who said what."""
    text = Text.assemble(
        (f"{item.label} ", "bold"), f"— you rated {item.rating}, but {what_the_machine_says(item)}: "
    )
    for index, (sign, heard) in enumerate(item.evidence):
        text.append("; " if index else "")
        text.append(f"{sign} ", style=MARK_STYLES[sign])
        text.append(heard)
    return text


def what_the_machine_says(item: Disagreement) -> str:
    """How a disagreement's evidence stands against the rating: doubt alone is not evidence."""
    if not item.generous:
        return "the machine heard it done"
    if item.unsure:
        return "the machine could not make it out for sure"
    return "the machine's checks speak against it"


class ResultsScreen(Screen[ResultsChoice]):
    """The trend needs every earlier attempt, read in a worker: it is filled in when they come."""

    BINDINGS = [
        Binding("r", "retry", "Try again"),
        Binding("n", "next", "Next scenario"),
        Binding("n", "next_step", "The campaign"),  # a campaign's step: back to its timeline
        Binding("h", "app.history", "History"),
        Binding("v", "whole_preview", "Their phone's text", show=False),  # the card says so
        Binding("escape,s", "go_start", "Scenarios"),
        # a campaign's step: s still leaves for the scenarios, Esc goes back to the timeline as n does
        Binding("s", "leave_campaign", "Scenarios"),
        Binding("escape", "next_step", "The campaign", show=False),
    ]

    def __init__(self, practice: PracticeAttempt) -> None:
        super().__init__()
        self.practice = practice

    @property
    def scored(self) -> ScoredAssessment:
        """The assessment these results are for: the latest by the last rater."""
        attempt = self.practice.attempt
        assert attempt is not None
        return attempt.by(attempt.assessments[-1].assessment.rater.kind)[-1]

    def compose(self) -> ComposeResult:
        attempt = self.practice.attempt
        assert attempt is not None
        feedback = self.practice.feedback()
        scored = self.scored
        yield Header()
        with VerticalScroll(id="results"):
            with Horizontal(id="score-row"):
                with Vertical(id="score-box"):
                    yield Static(score_caption(scored.assessment.rater), classes="caption")
                    yield Digits(str(points(feedback.score)), id="score")
                with Vertical(id="verdict-box"):
                    yield Static(self.verdict_text(scored.timing_verdict, attempt.message_s), id="verdict")
                    yield Static(id="trend-text")
            yield Static(self.feedback_text(feedback), id="feedback")
            if self.practice.hints:
                yield Static(self.disagreement_text(), id="disagreements")
            yield PreviewCard(self.practice, id="phone-preview")
            yield Static(self.model_text(), id="model")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Results: {self.practice.scenario.title}"
        voicemail_app(self).read_attempts(self)

    def on_screen_resume(self) -> None:
        self.reread_record()

    @work(thread=True, exclusive=True, group="record")
    def reread_record(self) -> None:
        """Back from the history, where this take may have been assessed again: the record on disk
        decides what the results show (walked: the old score stayed after a re-assessment)."""
        attempt, audio = self.practice.attempt, self.practice.audio_path
        if attempt is None or audio is None:
            return
        try:
            saved = load_record(self.practice.store.record_path(audio))
        except (RecordError, OSError):  # gone or unreadable: what is shown is what was saved here
            return
        if saved.id == attempt.id and saved.assessments and saved.assessments != attempt.assessments:
            self.app.call_from_thread(self.show_saved, saved)

    async def show_saved(self, saved: Attempt) -> None:
        self.practice.attempt = saved
        await self.recompose()
        voicemail_app(self).read_attempts(self)

    def on_attempts_loaded(self, message: AttemptsLoaded) -> None:
        scores = previous_scores(message.listing.attempts, self.practice.trainee, self.practice.scenario.id)
        self.query_one("#trend-text", Static).update(trend_text(scores))
        if len(scores) > 1:
            self.query_one("#verdict-box", Vertical).mount(Static(trend_bars(scores), id="trend"))

    def action_whole_preview(self) -> None:
        self.query_one(PreviewCard).toggle_whole()

    def on_words_heard(self, message: WordsHeard) -> None:
        if message.practice is self.practice:
            self.query_one(PreviewCard).start()
        if message.practice is self.practice and self.query("#disagreements"):
            self.query_one("#disagreements", Static).update(self.disagreement_text())
            self.query_one("#feedback", Static).update(self.feedback_text(self.practice.feedback()))

    def verdict_text(self, verdict: TimingVerdict, seconds: float) -> Text:
        targets = self.practice.scenario.targets
        text = Text("Timing: ", style="bold")
        text.append(verdict.value, style="green" if verdict is TimingVerdict.WITHIN_TARGET else "yellow")
        window = f"{targets.min_seconds:g}-{targets.max_seconds:g} s"
        said = "the take, with nothing said" if self.practice.silent else "to your last word"
        text.append(f"\n{seconds:.1f} s {said}; target {window}")
        return text

    def feedback_text(self, feedback: Feedback) -> Group:
        parts: list[RenderableType] = []
        if feedback.check_first:
            checks = bulleted(map(Text, feedback.check_first))
            parts += [Text("Check first: listen back", style="bold yellow"), checks, Text()]
        nothing = "none: there were no words to judge" if feedback.silent else "nothing at full marks yet"
        strongest = Table.grid(expand=True)
        strongest.add_column(width=len("Strongest  "), no_wrap=True)
        strongest.add_column(ratio=1)
        strongest.add_row(Text("Strongest", style="bold green"), ", ".join(feedback.strongest) or nothing)
        parts += [strongest, Text()]
        if feedback.work_on:
            parts.append(Text("Work on next", style="bold yellow"))
            work = (Text.assemble((f"{label}: ", "bold"), guidance) for label, guidance in feedback.work_on)
            parts.append(bulleted(work))
        elif feedback.check_first:
            parts.append(Text(EVIDENCE_DISAGREES, style="bold"))
        else:
            parts.append(Text(f"Full marks on every criterion. {self.what_next()}", style="bold"))
        return Group(*parts)

    def what_next(self) -> str:
        """After full marks: a harder scenario, or in a campaign its next message (walked: "Try a
        harder scenario" with the campaign's third message still to leave)."""
        place = self.practice.scenario.campaign
        if place is None:
            return "Try a harder scenario."
        if place.step < place.steps:
            return f"Next, the campaign's message {place.step + 1}: n opens the campaign."
        return "That was the campaign's last message: try another campaign."

    def disagreement_text(self) -> Group:
        heading = Text("Your ratings against what the machine heard", style="bold magenta")
        if self.practice.hearing:
            return Group(heading, Text(f"The machine is {STILL_HEARING}", style="dim"))
        found = disagreements(self.practice.scenario, self.scored.assessment.ratings, self.practice.hints)
        parts: list[RenderableType] = [heading]
        if words_lost(self.practice.analysis):  # walked: "they agree" on what was never checked
            parts.append(Text(WORDS_LOST, style="yellow"))
            if not found:
                return Group(*parts)
        if not found:
            return Group(*parts, Text("They agree on every criterion the machine can check.", style="dim"))
        parts.append(bulleted((disagreement_line(item) for item in found), indent=0))
        parts.append(Text("Listen back to decide: the machine can mishear.", style="dim italic"))
        return Group(*parts)

    def model_text(self) -> Text:
        text = Text("\nA model message for this scenario\n", style="bold cyan")
        text.append(as_called_by(self.practice.scenario, self.practice.trainee).model_message, style="italic")
        return text

    def action_retry(self) -> None:
        self.dismiss(ResultsChoice.RETRY)

    def action_next(self) -> None:
        self.dismiss(ResultsChoice.NEXT)

    def action_next_step(self) -> None:
        self.dismiss(ResultsChoice.NEXT)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """n reads "The campaign" on a campaign's step (the flow goes back to its timeline)."""
        in_campaign = self.practice.scenario.campaign is not None
        if action == "next":
            return not in_campaign
        if action in ("next_step", "leave_campaign"):
            return in_campaign
        if action == "go_start":
            return not in_campaign
        return True

    def action_go_start(self) -> None:
        voicemail_app(self).action_go_start()

    def action_leave_campaign(self) -> None:  # go_start's twin: check_action tells the keys apart
        voicemail_app(self).action_go_start()


SHOWN_SCORES = 6  # the trend lists and draws the last six scores


def trend_bars(scores: list[float]) -> Text:
    """The last scores as bars on the whole scale, 0 to 100 (a chart scaled from its lowest score
    made 77 then 64 look like a collapse)."""
    bars = Text(" ".join(sparkline(scores, width=SHOWN_SCORES)), style="bold cyan")
    bars.append("  on a scale of 0 to 100", style="dim")
    return bars


def trend_text(scores: list[float]) -> Text:
    """This scenario's scores so far, and the latest against the one before."""
    if len(scores) < 2:
        return Text("Your first scored attempt at this scenario.", style="dim")
    change = points(scores[-1]) - points(scores[-2])
    since = f"up {change} since" if change > 0 else f"down {-change} since" if change < 0 else "the same as"
    shown = ", ".join(str(points(s)) for s in scores[-SHOWN_SCORES:])
    return Text(f"{len(scores)} attempts: {shown} ({since} last time)")
