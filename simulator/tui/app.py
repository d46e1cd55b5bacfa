"""The practice app: a trainee picks a scenario, dials, leaves a message, reviews and scores it."""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.app import App, SystemCommand
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import WorkerFailed

from simulator.audio.base import AudioBackend
from simulator.audio.file_device import FileBackend
from simulator.fileio import describe_os_error
from simulator.locations import cache_dir
from simulator.names import safe_name
from simulator.practice import PracticeAttempt
from simulator.scenarios import Scenario
from simulator.store import list_attempts
from simulator.tui.flow import Flow
from simulator.tui.messages import (
    AssessWanted,
    AttemptsLoaded,
    BriefWanted,
    CampaignWanted,
    DialWanted,
    WordsHeard,
)
from simulator.tui.screens.dialogs import ErrorScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.reports import ReportsScreen
from simulator.tui.screens.start import StartScreen
from simulator.tui.services import Services
from simulator.tui.startup import PracticeStart, StartRequest
from simulator.voice.synth import PlaceholderSynthesizer, SynthesisError

ERROR_LOG_NAME = "audio-errors.log"  # PortAudio's stderr, and the app's unexpected errors
_LONGEST_SUMMARY = 300
_PRACTICE = PracticeStart()


def error_log() -> Path:
    return cache_dir() / ERROR_LOG_NAME


def summarise(error: BaseException) -> str:
    """``ValueError: what it says`` (``_csv.Error: ...`` for others), cut short if it is long."""
    kind = type(error)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    text = f"{name}: {error}" if str(error) else name
    return text if len(text) <= _LONGEST_SUMMARY else text[: _LONGEST_SUMMARY - 1] + "…"


class VoicemailApp(App[None]):
    """Voicemail Simulator."""

    CSS_PATH = "app.tcss"
    TITLE = "Voicemail Simulator"

    def __init__(self, services: Services, start: StartRequest = _PRACTICE) -> None:
        super().__init__()
        self.services = services
        self.start_request = start  # what the app opens on, over the start screen
        self.flow = Flow(self, self)
        self.trainee = services.settings.trainee_name
        self.without_audio = False
        self._backend: AudioBackend | None = None
        self.error_log = error_log()
        self.fatal_error: str | None = None  # said on the terminal once the UI has closed

    # -- unexpected errors ------------------------------------------------------------------------
    def _handle_exception(self, error: Exception) -> None:
        """An error nothing else caught. Textual's own handling closes the screen at once and puts
        the traceback on stderr (the log, while the UI runs), and :func:`run_app` used to report
        success. Here the traceback goes to the log, the error is said on screen, and the app exits
        with status 1 when the person closes the message: the widget that raised has stopped
        handling messages (Textual ends its message loop), so the app cannot safely go on.
        """
        cause: BaseException = error.error if isinstance(error, WorkerFailed) else error
        what = summarise(cause)
        logged = self._log_error(cause)
        details = (
            f"The details are in {self.error_log}."
            if logged
            else f"The details could not be written to {self.error_log}."
        )
        first = self.fatal_error is None
        self.fatal_error = f"voicemail-sim: the app closed after an unexpected error ({what}). {details}"
        self._return_code = 1
        if self._exception is None:  # Pilot re-raises it when a test ends, as Textual does
            self._exception = error
            self._exception_event.set()
        if not first or not self.is_running:
            self.exit(return_code=1)
            return
        try:
            self.push_screen(ErrorScreen(what, details))
        except Exception:  # the app itself is failing: close, and say it on the terminal
            self.exit(return_code=1)

    def _log_error(self, error: BaseException) -> bool:
        try:
            self.error_log.parent.mkdir(parents=True, exist_ok=True)
            with open(self.error_log, "a", encoding="utf-8") as log:
                when = datetime.now().astimezone()
                log.write(f"\n{when:%Y-%m-%d %H:%M:%S %z} unexpected error in the app\n")
                log.write("".join(traceback.format_exception(error)))
        except OSError:
            return False
        return True

    # -- services the screens share --------------------------------------------------------------
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is plain text: they carry names, titles, paths and error messages,
        and a name such as "Ben [/]" read as markup would crash the screen showing it."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def audio(self) -> AudioBackend:
        """The sound devices, or silence in "practise without audio" mode. Raises AudioError."""
        if self.without_audio:
            return FileBackend(silent_input=True)
        if self._backend is None:
            self._backend = self.services.open_audio()
        return self._backend

    def practise_without_audio(self) -> None:
        self.without_audio = True
        self.sub_title = "practising without audio"

    def remember_trainee(self, name: str) -> None:
        # one spelling (as records are read), and nothing that could reach a terminal raw
        self.trainee = safe_name(name)
        settings = self.services.settings.with_changes(trainee_name=self.trainee)
        self.services.settings = settings
        try:
            self.services.save_settings(settings)
        except OSError as error:
            self.notify(
                f"Your name is used for now but not remembered: {describe_os_error(error)}",
                severity="warning",
                timeout=10,
            )

    @work(thread=True, group="attempts")
    def read_attempts(self, reader: DOMNode) -> None:
        """Read the records in the background (parsing them is too slow for the UI thread); ``reader``
        gets them as :class:`AttemptsLoaded`."""
        reader.post_message(AttemptsLoaded(list_attempts([self.services.store])))

    def hear_last_words(self, practice: PracticeAttempt) -> None:
        """Add the take's last words to its record in the background, once the recogniser has them
        (the results are shown without waiting; screens showing words are sent :class:`WordsHeard`)."""
        if practice.hearing:
            self._hear_words(practice)

    @work(thread=True, group="words", exit_on_error=False)  # the take and its review never depend on it
    def _hear_words(self, practice: PracticeAttempt) -> None:
        try:
            practice.hear_words()
        except OSError as error:  # the words are shown; the next assessment saves them
            message = f"Could not save the take's words: {error}"
            self.call_from_thread(self.notify, message, severity="warning")
        finally:  # heard or not, the screens stop waiting for them
            self.post_message(WordsHeard(practice))

    @on(WordsHeard)
    def words_heard(self, message: WordsHeard) -> None:
        for screen in self.screen_stack:
            screen.post_message(WordsHeard(message.practice))

    # -- navigation: the flow decides -------------------------------------------------------------
    @on(CampaignWanted)
    def campaign_wanted(self, message: CampaignWanted) -> None:
        self.flow.campaign(message.campaign)

    @on(BriefWanted)
    def brief_wanted(self, message: BriefWanted) -> None:
        self.flow.brief(message.scenario)

    @on(DialWanted)
    def dial_wanted(self, message: DialWanted) -> None:
        self.flow.dial(message.scenario, message.notes)

    @on(AssessWanted)
    def assess_wanted(self, message: AssessWanted) -> None:
        self.flow.assess(message.practice)

    # -- start-up ---------------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.push_screen(StartScreen())
        self.flow.open(self.start_request)
        for note in self.services.startup_notes:
            self.notify(note, severity="warning", timeout=10)
        self.render_greetings()

    @work(thread=True, exclusive=True, group="greetings")
    def render_greetings(self) -> None:
        """Render every scenario's greeting in the background, so dialling plays at once."""
        line = self.services.settings.phone_line
        prospects = [s.prospect.on_line(line) for s in self.services.library.ordered()]

        def progress(done: int, total: int) -> None:
            if done == 0 and total > 1:
                self.call_from_thread(self.notify, f"Preparing {total} prospects' voices…", timeout=3)

        try:
            self.services.greetings.warm(prospects, progress)
        except SynthesisError as error:
            self.services.greetings.synthesizer = PlaceholderSynthesizer()
            self.call_from_thread(
                self.notify,
                f"{error}. Greetings are shown as captions only.",
                title="No speech engine",
                severity="warning",
                timeout=15,
            )

    # -- commands -------------------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Practise", "Choose a scenario and practise a voicemail", self.action_go_start)
        yield SystemCommand("History", "Your attempts, their takes and scores", self.action_history)
        yield SystemCommand(
            "Practise without audio", "No microphone: read and rate", self.practise_without_audio
        )

    def action_go_start(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if not isinstance(self.screen, StartScreen):
            self.push_screen(StartScreen())

    def action_go_campaign(self) -> None:
        self.flow.back_to_campaign()

    def action_drill(self) -> None:
        self.flow.drill_setup()

    def action_reports(self) -> None:
        self.push_screen(ReportsScreen())

    def action_history(self) -> None:
        self.push_screen(HistoryScreen())

    def scenario_after(self, scenario: Scenario) -> Scenario:
        ordered = self.services.library.ordered()
        index = next((i for i, s in enumerate(ordered) if s.id == scenario.id), -1)
        return ordered[(index + 1) % len(ordered)]
