"""Call: ringback, the greeting with its caption, the beep, then the take against the clock."""

from __future__ import annotations

import errno
from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Digits, Footer, Header, Static

from simulator.audio.base import AudioBackend, AudioError, Playback, TakeFileError
from simulator.audio.recorder import Recorder, Take
from simulator.dialing import prepare_call
from simulator.fileio import describe_os_error
from simulator.practice import PracticeAttempt
from simulator.scenarios import Scenario
from simulator.tui.screens.dialogs import AudioProblemScreen, ConfirmScreen
from simulator.tui.widgets.bigclock import BigClock
from simulator.tui.widgets.meters import LevelMeter, TimingBar, timing_zone
from simulator.voice.call import CallAudio
from simulator.voice.synth import PlaceholderSynthesizer, SynthesisError

ON_THE_RECORD_AFTER_S = 3.0  # silence this long after the beep is flagged
SPEECH_DBFS = -40.0
_STORAGE_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM)


def take_file_problem(error: TakeFileError) -> str:
    """A take that cannot be created, said as every edge says a full disk or read-only folder."""
    if error.os_error is not None:  # the recorder's: it says so already
        return str(error)
    cause = error.__cause__ or error.__context__  # the store's OSError, when the store could not
    if isinstance(cause, OSError) and cause.errno in _STORAGE_ERRNOS:
        return describe_os_error(cause)
    return f"{error}. Check that the recordings folder is writable (--data DIR)."


def clock(seconds: float) -> str:
    minutes, rest = divmod(max(0.0, seconds), 60)
    return f"{int(minutes)}:{rest:04.1f}"


class CallScreen(Screen[None]):
    BINDINGS = [
        Binding("space,enter", "stop", "Stop and review", priority=True),
        Binding("escape", "hang_up", "Hang up / discard"),
    ]

    def __init__(
        self,
        scenario: Scenario,
        notes: str = "",
        *,
        trainee: str | None = None,
        drill_id: str = "",
        on_finished: Callable[[PracticeAttempt], None] | None = None,
        presenter: bool = False,
    ) -> None:
        super().__init__()
        self.scenario = scenario
        self.notes = notes
        self.trainee = trainee
        self.drill_id = drill_id
        self.on_finished = on_finished
        self.presenter = presenter  # a room watches: the block-font clock, legible from the back
        self.phase = "dialling"
        self.call: CallAudio | None = None
        self.playback: Playback | None = None
        self.backend: AudioBackend | None = None
        self.recorder: Recorder | None = None
        self.practice: PracticeAttempt | None = None
        self.heard_speech = False
        self.ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="call"):
            yield Static("Dialling…", id="call-status")
            yield Static("", id="caption")
            yield BigClock(id="timer") if self.presenter else Digits("0:00.0", id="timer")
            yield TimingBar(self.scenario.targets, id="timing")
            yield LevelMeter(id="level")
            yield Static("", id="on-record")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Calling {self.scenario.prospect.name}, {self.scenario.prospect.company}"
        self.ticker = self.set_interval(1 / 20, self.tick)
        self.prepare()

    # -- the call ---------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="call")
    def prepare(self) -> None:
        services = self.app.services  # type: ignore[attr-defined]
        rings = services.settings.rings
        try:
            call = prepare_call(self.scenario, services.greetings, rings)
        except SynthesisError as error:
            services.greetings.synthesizer = PlaceholderSynthesizer()
            self.app.call_from_thread(
                self.notify, f"{error}. The greeting is shown as a caption.", severity="warning"
            )
            call = prepare_call(self.scenario, services.greetings, rings)
        self.app.call_from_thread(self.start_call, call)

    def start_call(self, call: CallAudio) -> None:
        self.call = call
        try:
            self.backend = self.app.audio()  # type: ignore[attr-defined]
            self.playback = self.backend.play(call.clip)
        except AudioError as error:
            self.show_problem(str(error))
            return
        self.phase = "ringing"

    def show_problem(self, message: str, offer_without_audio: bool = True) -> None:
        self.phase = "problem"

        def chosen(choice: str | None) -> None:
            if choice == "without-audio" and self.call is not None:
                self.app.practise_without_audio()  # type: ignore[attr-defined]
                self.start_call(self.call)
            else:
                self.app.pop_screen()

        self.app.push_screen(AudioProblemScreen(message, offer_without_audio), chosen)

    def tick(self) -> None:
        if (
            self.phase in ("ringing", "greeting", "beep")
            and self.playback is not None
            and self.call is not None
        ):
            self.follow_greeting(self.playback.position_s)
            if self.playback.is_finished():
                self.begin_recording()
        elif self.phase == "recording" and self.recorder is not None:
            self.follow_recording(self.recorder)

    def follow_greeting(self, position: float) -> None:
        assert self.call is not None
        status = self.query_one("#call-status", Static)
        caption = self.query_one("#caption", Static)
        if position < self.call.greeting_start_s:
            self.phase = "ringing"
            status.update(f"Ringing {self.scenario.prospect.name}…")
        elif position < self.call.beep_start_s:
            self.phase = "greeting"
            status.update(f"{self.scenario.prospect.name}'s voicemail")
            caption.update(f"“{self.call.caption}”")
        else:
            self.phase = "beep"
            status.update("♪ Beep")

    def begin_recording(self) -> None:
        assert self.backend is not None
        self.practice = PracticeAttempt(
            self.app.services.store,  # type: ignore[attr-defined]
            self.scenario,
            self.trainee or self.app.trainee,  # type: ignore[attr-defined]
            self.notes,
            self.drill_id,
        )
        try:
            self.recorder = self.practice.start_recording(self.backend)
        except TakeFileError as error:
            self.show_problem(take_file_problem(error), False)
            return
        except (AudioError, ValueError) as error:
            self.show_problem(str(error))
            return
        self.phase = "recording"
        self.add_class("recording")
        who = f"{self.trainee}'s message" if self.presenter and self.trainee else "leave your message"
        self.query_one("#call-status", Static).update(f"● Recording: {who}")

    def follow_recording(self, recorder: Recorder) -> None:
        elapsed = recorder.elapsed_s
        level = recorder.level
        self.query_one("#timer").update(clock(elapsed))  # type: ignore[attr-defined]
        self.query_one("#timing", TimingBar).elapsed = elapsed
        meter = self.query_one("#level", LevelMeter)
        meter.rms_dbfs, meter.peak_dbfs = level.rms_dbfs, level.peak_dbfs
        self.heard_speech = self.heard_speech or level.rms_dbfs > SPEECH_DBFS
        flag = self.query_one("#on-record", Static)
        if not self.heard_speech and elapsed > ON_THE_RECORD_AFTER_S:
            flag.update("You're on the record: start speaking!")
        else:
            zone = timing_zone(self.scenario.targets, elapsed)
            flag.update({"under": "", "within": "In the target window", "over": "Over time: wrap up"}[zone])
        self.set_class(timing_zone(self.scenario.targets, elapsed) == "over", "over-time")
        if recorder.finished:
            if recorder.error:
                self.notify(recorder.error, severity="error", timeout=10)
            else:
                self.notify("The voicemail cut you off at its maximum length.", severity="warning")
            self.action_stop()

    # -- actions ----------------------------------------------------------------------------------
    def action_stop(self) -> None:
        if self.phase != "recording":
            return
        self.phase = "saving"
        self.query_one("#call-status", Static).update("Saving your take…")
        self.finish()

    @work(thread=True, exclusive=True, group="call")
    def finish(self) -> None:
        assert self.recorder is not None and self.practice is not None
        take = self.recorder.stop()  # the same take again when saving is retried
        try:
            self.practice.finish(take)
        except OSError as error:
            record = self.practice.store.record_path(take.path)
            self.app.call_from_thread(self.record_not_saved, take, describe_os_error(error, record))
            return
        self.app.call_from_thread(self.to_review)

    def record_not_saved(self, take: Take, problem: str) -> None:
        """The take is on disk but its record is not: try again (space freed), or leave it there."""
        message = f"The take's record could not be saved. {problem} The take itself is kept: {take.path}"

        def chosen(choice: str | None) -> None:
            if choice == "retry":
                self.query_one("#call-status", Static).update("Saving your take…")
                self.finish()
                return
            self.phase = "ended"
            if self.practice is not None:
                self.practice.abandon()
            self.app.pop_screen()

        self.app.push_screen(AudioProblemScreen(message, offer_without_audio=False, offer_retry=True), chosen)

    def to_review(self) -> None:
        from simulator.tui.screens.review import ReviewScreen

        assert self.practice is not None
        self.app.hear_last_words(self.practice)  # type: ignore[attr-defined]
        if self.on_finished is not None:
            self.app.pop_screen()
            self.on_finished(self.practice)
            return
        self.app.switch_screen(ReviewScreen(self.practice))

    def action_hang_up(self) -> None:
        if self.phase == "recording":
            question, yes = "Discard this take? It will not be kept.", "Discard"
        elif self.phase in ("dialling", "ringing", "greeting", "beep"):
            question, yes = "Hang up before the beep?", "Hang up"
        else:
            return

        def answered(confirmed: bool | None) -> None:
            if not confirmed:
                return
            if self.playback is not None:
                self.playback.stop()
            if self.recorder is not None and self.practice is not None:
                self.recorder.stop()
                self.practice.discard()
            self.phase = "ended"
            self.app.pop_screen()

        self.app.push_screen(ConfirmScreen(question, yes=yes, no="Keep going"), answered)

    def on_unmount(self) -> None:
        if self.playback is not None and not self.playback.is_finished():
            self.playback.stop()
        if self.recorder is not None and self.phase not in ("saving", "ended"):
            self.recorder.stop()  # the take stays on disk, playable
            if self.practice is not None:
                self.practice.abandon()
