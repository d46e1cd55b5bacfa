"""Modal dialogs: confirm a destructive choice; explain an audio problem and offer a way on."""

from __future__ import annotations

from enum import StrEnum

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-text", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} [y]", variant="error", id="yes")
                yield Button(f"{self.no} [n]", variant="primary", id="no")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ProblemChoice(StrEnum):
    """The ways on from an audio or storage problem."""

    WITHOUT_AUDIO = "without-audio"
    RETRY = "retry"
    BACK = "back"


class AudioProblemScreen(ModalScreen[ProblemChoice]):
    """An audio or storage error in plain words, with the ways on: without audio, try again, or back."""

    BINDINGS = [
        Binding("a", "choose('without-audio')", "Practise without audio"),
        Binding("r", "choose('retry')", "Try again"),
        Binding("escape", "choose('back')", "Back"),
    ]

    def __init__(self, message: str, offer_without_audio: bool = True, offer_retry: bool = False) -> None:
        super().__init__()
        self.message = message
        self.offer_without_audio = offer_without_audio
        self.offer_retry = offer_retry

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            title = "Sound problem" if self.offer_without_audio else "Cannot save the take"
            yield Static(title, classes="dialog-title")
            yield Static(self.message, classes="dialog-text", markup=False)
            if not self.offer_without_audio:
                with Horizontal(classes="dialog-buttons"):
                    if self.offer_retry:
                        yield Button("Try again [r]", variant="primary", id="retry")
                    yield Button("Back [esc]", id="back")
                return
            yield Static(
                "You can still practise without audio: the greeting is shown as a caption, the timer runs, "
                "and you rate your message from memory. 'voicemail-sim doctor' checks your set-up.",
                classes="dialog-text dim",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Practise without audio [a]", variant="primary", id="without-audio")
                yield Button("Back [esc]", id="back")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(ProblemChoice(event.button.id or ProblemChoice.BACK))

    def action_choose(self, key: str) -> None:
        choice = ProblemChoice(key)
        if choice is ProblemChoice.WITHOUT_AUDIO and not self.offer_without_audio:
            return
        if choice is ProblemChoice.RETRY and not self.offer_retry:
            return
        self.dismiss(choice)


class ErrorScreen(ModalScreen[None]):
    """An unexpected error, said on screen before the app closes: what happened and where the details are.

    Closing calls ``app.exit`` itself rather than returning a result: the screen that failed has
    stopped handling messages, so a result callback addressed to it would never run.
    """

    BINDINGS = [Binding("enter,escape,q", "close", "Close the app", priority=True)]

    def __init__(self, what: str, details: str) -> None:
        super().__init__()
        self.what, self.details = what, details

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Something went wrong", classes="dialog-title")
            what = f"The app has to close after an unexpected error: {self.what}"
            yield Static(what, classes="dialog-text", markup=False)
            kept = f"Takes, scores and drills saved so far are kept. {self.details}"
            yield Static(kept, classes="dialog-text", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close the app [enter]", variant="error", id="close")

    @on(Button.Pressed)
    def pressed(self) -> None:
        self.action_close()

    def action_close(self) -> None:
        self.app.exit(return_code=1)
