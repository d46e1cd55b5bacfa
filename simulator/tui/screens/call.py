"""Call: ringback, the greeting with its caption, the beep, then the take against the clock."""

from __future__ import annotations

from enum import StrEnum

from rich.text import Text
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
from simulator.tui.context import voicemail_app
from simulator.tui.screens.dialogs import AudioProblemScreen, ConfirmScreen, ProblemChoice
from simulator.tui.widgets.bigclock import BigClock
from simulator.tui.widgets.meters import LevelMeter, TimingBar, TimingZone, timing_zone
from simulator.voice.call import CallAudio
from simulator.voice.synth import PlaceholderSynthesizer, SynthesisError

ON_THE_RECORD_AFTER_S = 3.0  # silence this long after the beep is flagged
SPEECH_DBFS = -40.0
ROOM_IS_LOUD = "The room is loud: timings may be off"
ZONE_FLAGS = {
    TimingZone.UNDER: "",
    TimingZone.WITHIN: "In the target window",
    TimingZone.OVER: "Over time: wrap up",
}


class CallPhase(StrEnum):
    """Where the call is: dialling to the beep, then the take, then saved (or not)."""

    DIALLING = "dialling"
    RINGING = "ringing"
    GREETING = "greeting"
    BEEP = "beep"
    RECORDING = "recording"
    SAVING = "saving"
    PROBLEM = "problem"  # an audio or storage problem is being shown
    ENDED = "ended"  # hung up, discarded, or left without a record

    @property
    def before_the_beep(self) -> bool:
        return self in (CallPhase.DIALLING, CallPhase.RINGING, CallPhase.GREETING, CallPhase.BEEP)


def take_file_problem(error: TakeFileError) -> str:
    """A take that cannot be created, said as every edge says a full disk or read-only folder."""
    if error.os_error is not None:  # a full disk or read-only folder: it says so already
        return str(error)
    return f"{error}. Check that the recordings folder is writable (--data DIR)."


def clock(seconds: float) -> str:
    minutes, rest = divmod(max(0.0, seconds), 60)
    return f"{int(minutes)}:{rest:04.1f}"


class CallScreen(Screen[PracticeAttempt | None]):
    """Dismissed with the saved take, or None if there is none to review (hung up, discarded, or
    left after a problem)."""

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
        presenter: bool = False,
    ) -> None:
        super().__init__()
        self.scenario = scenario
        self.notes = notes
        self.trainee = trainee
        self.drill_id = drill_id
        self.presenter = presenter  # a room watches: the block-font clock, legible from the back
        self.phase = CallPhase.DIALLING
        self.call: CallAudio | None = None
        self.playback: Playback | None = None
        self.backend: AudioBackend | None = None
        self.recorder: Recorder | None = None
        self.practice: PracticeAttempt | None = None
        self.heard_speech = False
        self.ticker: Timer | None = None
        self.timer_display = BigClock(id="timer") if presenter else Digits("0:00.0", id="timer")

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="call"):
            yield Static("Dialling…", id="call-status", markup=False)
            yield Static("", id="caption", markup=False)
            yield self.timer_display
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
        services = voicemail_app(self).services
        rings = services.settings.rings
        try:
            call = prepare_call(self.scenario, services.greetings, rings, services.settings.phone_line)
        except SynthesisError as error:
            services.greetings.synthesizer = PlaceholderSynthesizer()
            self.app.call_from_thread(
                self.notify, f"{error}. The greeting is shown as a caption.", severity="warning"
            )
            call = prepare_call(self.scenario, services.greetings, rings, services.settings.phone_line)
        self.app.call_from_thread(self.start_call, call)

    def start_call(self, call: CallAudio) -> None:
        self.call = call
        try:
            self.backend = voicemail_app(self).audio()
            self.playback = self.backend.play(call.clip)
        except AudioError as error:
            self.show_problem(str(error))
            return
        self.phase = CallPhase.RINGING

    def show_problem(self, message: str, offer_without_audio: bool = True) -> None:
        self.phase = CallPhase.PROBLEM

        def chosen(choice: ProblemChoice | None) -> None:
            if choice is ProblemChoice.WITHOUT_AUDIO and self.call is not None:
                voicemail_app(self).practise_without_audio()
                self.start_call(self.call)
            else:
                self.dismiss(None)

        self.app.push_screen(AudioProblemScreen(message, offer_without_audio), chosen)

    def tick(self) -> None:
        if (
            self.phase in (CallPhase.RINGING, CallPhase.GREETING, CallPhase.BEEP)
            and self.playback is not None
            and self.call is not None
        ):
            self.follow_greeting(self.playback.position_s)
            if self.playback.is_finished():
                self.begin_recording()
        elif self.phase is CallPhase.RECORDING and self.recorder is not None:
            self.follow_recording(self.recorder)

    def follow_greeting(self, position: float) -> None:
        assert self.call is not None
        status = self.query_one("#call-status", Static)
        caption = self.query_one("#caption", Static)
        if position < self.call.greeting_start_s:
            self.phase = CallPhase.RINGING
            status.update(Text(f"Ringing {self.scenario.prospect.name}…"))
        elif position < self.call.beep_start_s:
            self.phase = CallPhase.GREETING
            status.update(Text(f"{self.scenario.prospect.name}'s voicemail"))
            caption.update(Text(f"“{self.call.caption}”"))
        else:
            self.phase = CallPhase.BEEP
            status.update("♪ Beep")

    def begin_recording(self) -> None:
        assert self.backend is not None
        app = voicemail_app(self)
        self.practice = PracticeAttempt(
            app.services.store, self.scenario, self.trainee or app.trainee, self.notes, self.drill_id
        )
        self.practice.recorded = not app.without_audio
        try:
            self.recorder = self.practice.start_recording(self.backend)
        except TakeFileError as error:
            self.show_problem(take_file_problem(error), False)
            return
        except (AudioError, ValueError) as error:
            self.show_problem(str(error))
            return
        self.phase = CallPhase.RECORDING
        self.add_class("recording")
        who = f"{self.trainee}'s message" if self.presenter and self.trainee else "leave your message"
        status = f"● Recording: {who}"
        if app.without_audio:
            status = "No microphone: say the message aloud (nothing is recorded), then Space"
        self.query_one("#call-status", Static).update(status)

    def follow_recording(self, recorder: Recorder) -> None:
        elapsed = recorder.elapsed_s
        level = recorder.level
        self.timer_display.update(clock(elapsed))
        self.query_one("#timing", TimingBar).elapsed = elapsed
        meter = self.query_one("#level", LevelMeter)
        meter.follow(level.rms_dbfs, level.peak_dbfs, elapsed)
        self.heard_speech = self.heard_speech or level.rms_dbfs > SPEECH_DBFS
        flag = self.query_one("#on-record", Static)
        if self.practice is not None and not self.practice.recorded:
            flag.update(ZONE_FLAGS[timing_zone(self.scenario.targets, elapsed)])  # only the clock counts
        elif not self.heard_speech and elapsed > ON_THE_RECORD_AFTER_S:
            flag.update("You're on the record: start speaking!")
        else:
            zone = ZONE_FLAGS[timing_zone(self.scenario.targets, elapsed)]
            room = self.practice.room_listener.room if self.practice else None
            loud = bool(room and room.too_loud)
            flag.update(" · ".join(filter(None, [zone, ROOM_IS_LOUD if loud else ""])))
            self.set_class(loud, "loud-room")
        self.set_class(timing_zone(self.scenario.targets, elapsed) is TimingZone.OVER, "over-time")
        if recorder.finished:
            if recorder.error:
                self.notify(recorder.error, severity="error", timeout=10)
            else:
                self.notify("The voicemail cut you off at its maximum length.", severity="warning")
            self.action_stop()

    # -- actions ----------------------------------------------------------------------------------
    def action_stop(self) -> None:
        if self.phase.before_the_beep:  # walked: Space while it rang did nothing, and said nothing
            self.notify("Recording starts after the beep: speak then, and Space stops it.", timeout=4)
            return
        if self.phase is not CallPhase.RECORDING:
            return
        self.phase = CallPhase.SAVING
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
        self.app.call_from_thread(self.saved)

    def record_not_saved(self, take: Take, problem: str) -> None:
        """The take is on disk but its record is not: try again (space freed), or leave it there."""
        message = f"The take's record could not be saved. {problem} The take itself is kept: {take.path}"

        def chosen(choice: ProblemChoice | None) -> None:
            if choice is ProblemChoice.RETRY:
                self.query_one("#call-status", Static).update("Saving your take…")
                self.finish()
                return
            self.phase = CallPhase.ENDED
            if self.practice is not None:
                self.practice.abandon()
            self.dismiss(None)

        self.app.push_screen(AudioProblemScreen(message, offer_without_audio=False, offer_retry=True), chosen)

    def saved(self) -> None:
        """The take and its record are saved: the last words come in the background."""
        assert self.practice is not None
        voicemail_app(self).hear_last_words(self.practice)
        self.dismiss(self.practice)

    def action_hang_up(self) -> None:
        if self.phase is CallPhase.RECORDING:
            question, yes = "Discard this take? It will not be kept.", "Discard"
        elif self.phase.before_the_beep:
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
            self.phase = CallPhase.ENDED
            self.dismiss(None)

        self.app.push_screen(ConfirmScreen(question, yes=yes, no="Keep going"), answered)

    def on_unmount(self) -> None:
        if self.playback is not None and not self.playback.is_finished():
            self.playback.stop()
        if self.recorder is not None and self.phase not in (CallPhase.SAVING, CallPhase.ENDED):
            self.recorder.stop()  # the take stays on disk, playable
            if self.practice is not None:
                self.practice.abandon()
