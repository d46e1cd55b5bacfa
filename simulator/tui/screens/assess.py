"""Self-assessment: each criterion's question, scale and guidance, with what the machine heard beside it."""

from __future__ import annotations

from datetime import datetime

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from simulator.attempts import Assessment, AssessmentError, Rater, RaterKind, ScoredAssessment
from simulator.fileio import describe_os_error
from simulator.practice import PracticeAttempt
from simulator.scenarios import Criterion, Scale
from simulator.tui.messages import WordsHeard
from simulator.tui.screens.dialogs import ConfirmScreen
from simulator.tui.text import criterion_text, hint_text


def criterion_prompt(criterion: Criterion, rating: int | None) -> Table:
    """A criterion in the list: its rating, or before it is rated the keys that rate it ("y/n",
    "0-2"), so a rubric mixing the two scales never makes the trainee guess; a long label wraps
    under itself, not under the keys (walked: "y/n Contact details, every" then "time")."""
    if rating is None:
        mark = Text(f" {SCALE_KEYS[criterion.scale]} ", style="dim")
    else:
        mark = Text(f" {criterion.scale.label(rating):>3} ", style="bold green")
    grid = Table.grid(expand=True)
    grid.add_column(width=5, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(mark, Text(criterion.label))
    return grid


SCALE_KEYS = {Scale.YES_NO: "y/n", Scale.ZERO_TO_TWO: "0-2"}
RATE_HELP = "Rate each: y/n or 0-2"


class CriteriaList(OptionList):
    """The criteria; rating keys act here and nowhere else, so a note typed beside them never
    changes a rating."""

    BINDINGS = [
        Binding("y", "screen.rate('y')", "Yes", show=False),
        Binding("n", "screen.rate('n')", "No", show=False),
        Binding("0", "screen.rate('0')", "0", show=False),
        Binding("1", "screen.rate('1')", "1", show=False),
        Binding("2", "screen.rate('2')", "2", show=False),
    ]


class AssessScreen(Screen[ScoredAssessment | None]):
    """Dismissed with the saved assessment, or None if the rater goes back without saving."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save assessment", priority=True),
        # the guidance and hints scroll from anywhere: Tab goes list, note, overall notes
        # in the footer, and before the list's own paging (walked: what the machine heard was out of
        # sight at 80x24, and PgDn moved the list)
        Binding("pagedown", "scroll_criterion(1)", "More", priority=True),
        Binding("pageup", "scroll_criterion(-1)", "Back up", show=False, priority=True),
        Binding("escape", "leave", "Back"),  # to the review, the history or the drill's take
    ]

    def __init__(
        self,
        practice: PracticeAttempt,
        rater: Rater | None = None,
    ) -> None:
        super().__init__()
        self.practice = practice
        self.rater = rater or Rater(RaterKind.SELF, practice.trainee)
        # a rater who left part-way finds their ratings as they left them; one who saved before,
        # their saved ones, which saving again replaces (walked: both came back blank)
        self.saved_before = practice.saved_by(self.rater)
        self.draft = practice.drafts.get(self.rater)
        earlier = self.draft or self.saved_before
        self.ratings: dict[str, int] = dict(earlier.ratings) if earlier else {}
        self.notes: dict[str, str] = dict(earlier.criterion_notes) if earlier else {}
        self.overall = earlier.notes if earlier else ""

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return self.practice.scenario.rubric.criteria

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="assess"):
            with Vertical(id="criteria-box"):
                yield Static(RATE_HELP, id="rate-help", markup=False)  # wraps: it names criteria
                yield CriteriaList(
                    *[Option(criterion_prompt(c, self.ratings.get(c.id)), c.id) for c in self.criteria],
                    id="criteria",
                )
            with VerticalScroll(id="criterion-box", can_focus=False):
                yield Static(id="criterion")
                yield Static(id="hint")
                yield Input(placeholder="A note on this criterion (optional)", id="criterion-note")
        yield Input(self.overall, placeholder=self.overall_prompt(), id="overall-note")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.who()}: {self.practice.scenario.title}"
        options = self.query_one("#criteria", OptionList)
        unrated = [i for i, c in enumerate(self.criteria) if c.id not in self.ratings]
        options.highlighted = unrated[0] if unrated else 0
        options.focus()
        self.show_criterion()
        if self.draft is not None:
            self.tell("Your ratings so far, as you left them: carry on.")
        elif self.saved_before is not None:
            self.tell(f"{self.rater_said()} assessed this take before: Ctrl+S replaces it.")

    def overall_prompt(self) -> str:
        if self.rater.kind is RaterKind.SELF:
            return "Overall notes: what would you change next time?"
        return f"Overall notes for {self.practice.trainee}: what to change next time?"

    def rater_said(self) -> str:
        return "You" if self.rater.kind is RaterKind.SELF or not self.rater.name else self.rater.name

    def action_leave(self) -> None:
        """Back without saving; ratings begun are kept with the take for this rater to finish.
        Saved ratings changed are asked about first (walked: a re-assessment from the history, left
        with Esc, silently dropped the change)."""
        begun = self.ratings or any(v.strip() for v in self.notes.values())
        overall = self.query_one("#overall-note", Input).value.strip()
        if self.saved_before is not None and self.changed_from(self.saved_before, overall):
            question = "You changed the saved ratings of this take. Save the changes?"
            self.app.push_screen(
                ConfirmScreen(question, yes="Save them", no="Keep the saved ones"),
                lambda save: self.action_save() if save else self.dismiss(None),
            )
            return
        if begun or overall:
            self.practice.drafts[self.rater] = Assessment(
                self.rater, dict(self.ratings), dict(self.notes), overall
            )
        self.dismiss(None)

    def changed_from(self, saved: Assessment, overall: str) -> bool:
        """Whether the ratings or notes on screen differ from the ``saved`` assessment."""
        notes = {k: v for k, v in self.notes.items() if v.strip()}
        same_notes = notes == dict(saved.criterion_notes) and overall == saved.notes
        return self.ratings != dict(saved.ratings) or not same_notes

    def action_scroll_criterion(self, pages: int) -> None:
        box = self.query_one("#criterion-box", VerticalScroll)
        box.scroll_relative(y=pages * max(1, box.size.height - 2), animate=False)

    def who(self) -> str:
        """ "Self-assessment", or whose assessment of whom ("Instructor's assessment of Asha Rao")."""
        kind = self.rater.kind
        if kind is RaterKind.SELF:  # in a drill the class takes turns at one screen: whose
            return (
                f"Self-assessment by {self.practice.trainee}" if self.practice.drill_id else "Self-assessment"
            )
        named = self.rater.name and self.rater.name.lower() != kind.value
        return f"{kind.value.capitalize()}'s assessment of {self.practice.trainee}" + (
            f" by {self.rater.name}" if named else ""
        )

    def tell(self, message: str, warning: bool = False) -> None:
        """Say it above the criteria (a toast would cover the notes and the machine's hints)."""
        label = self.query_one("#rate-help", Static)
        label.update(message)
        label.set_class(warning, "warning")

    def on_words_heard(self, message: WordsHeard) -> None:
        if message.practice is self.practice:
            self.show_hint()

    def current(self) -> Criterion:
        index = self.query_one("#criteria", OptionList).highlighted or 0
        return self.criteria[index]

    @on(OptionList.OptionHighlighted, "#criteria")
    def show_criterion(self) -> None:
        criterion = self.current()
        shown = criterion_text(criterion, self.ratings.get(criterion.id))
        if self.rater.kind is not RaterKind.SELF:  # the questions speak to the trainee
            shown = Text.assemble((f"As {self.practice.trainee} was asked:\n", "dim"), shown)
        self.query_one("#criterion", Static).update(shown)
        self.query_one("#criterion-box", VerticalScroll).scroll_home(animate=False)  # its question first
        self.show_hint()
        self.query_one("#criterion-note", Input).value = self.notes.get(criterion.id, "")

    def show_hint(self) -> None:
        hint = hint_text(self.current(), self.practice.hints, self.practice.hearing)
        self.query_one("#hint", Static).update(hint)

    @on(Input.Changed, "#criterion-note")
    def note_changed(self, event: Input.Changed) -> None:
        self.notes[self.current().id] = event.value

    @on(Input.Submitted, "#criterion-note")
    def note_done(self) -> None:
        self.query_one("#criteria", OptionList).focus()

    def action_rate(self, key: str) -> None:
        criterion = self.current()
        yes_no = criterion.scale is Scale.YES_NO
        level = {"y": 1, "n": 0}.get(key) if yes_no else (int(key) if key.isdigit() else None)
        if yes_no and key.isdigit():
            level = int(key)
        if level is None or level not in criterion.scale.levels:
            keys = "y or n" if yes_no else "0, 1 or 2"
            self.tell(f"'{criterion.label}' is rated {keys}, not {key}.", warning=True)
            return
        self.ratings[criterion.id] = level
        options = self.query_one("#criteria", OptionList)
        index = self.criteria.index(criterion)
        options.replace_option_prompt_at_index(index, criterion_prompt(criterion, level))
        self.show_criterion()
        unrated = [i for i, c in enumerate(self.criteria) if c.id not in self.ratings]
        if unrated:
            later = [i for i in unrated if i > index]
            options.highlighted = (later or unrated)[0]
            self.tell(RATE_HELP)
        else:
            self.tell("All rated. Ctrl+S saves your assessment.")

    def action_save(self) -> None:
        missing = [c.label for c in self.criteria if c.id not in self.ratings]
        if missing:
            self.tell(f"Still to rate: {'; '.join(missing)}", warning=True)  # labels hold commas
            return
        assessment = Assessment(
            rater=self.rater,
            ratings=dict(self.ratings),
            criterion_notes={k: v for k, v in self.notes.items() if v.strip()},
            notes=self.query_one("#overall-note", Input).value.strip(),
            rated_at=datetime.now().astimezone().replace(microsecond=0),
        )
        self.save(assessment)

    @work(thread=True, exclusive=True)
    def save(self, assessment: Assessment) -> None:
        try:
            scored = self.practice.assess(assessment)
        except AssessmentError as error:
            self.app.call_from_thread(self.notify, f"Could not save: {error}", severity="error")
            return
        except OSError as error:
            record = self.practice.audio_path and self.practice.store.record_path(self.practice.audio_path)
            message = (
                f"Your ratings are not saved yet: {describe_os_error(error, record)} "
                "They are still here: Ctrl+S tries again."
            )
            self.app.call_from_thread(self.notify, message, severity="error", timeout=15)
            return
        self.app.call_from_thread(self.saved, scored)

    def saved(self, scored: ScoredAssessment) -> None:
        self.practice.drafts.pop(self.rater, None)
        self.dismiss(scored)
