"""Building the app for tests: shipped scenarios, a temporary data folder, a file-backed device."""

from __future__ import annotations

import asyncio
import io
import shutil
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import soundfile as sf
from rich.console import Console, RenderableType
from textual.pilot import Pilot
from textual.widgets import Static

from simulator.analysis.take import PhonePreview
from simulator.analysis.transcribe import Transcript
from simulator.attempts import Assessment, Attempt, Rater, RaterKind, ScoredAssessment
from simulator.audio.base import AudioBackend, Clip
from simulator.audio.file_device import FileBackend
from simulator.audio.recorder import Take
from simulator.campaign_loader import load_campaigns
from simulator.campaigns import Campaign
from simulator.config import Settings
from simulator.drill import Drill
from simulator.drill_session import DrillSession
from simulator.locations import shipped_scenarios_dir
from simulator.practice import PracticeAttempt
from simulator.scenario_loader import load_library
from simulator.scenarios import EarlierMessage, PhoneLine, Scenario, as_called_by
from simulator.store import Store
from simulator.testing.analyses import analysis_with
from simulator.testing.recogniser import FixedTranscriber, transcript_of
from simulator.tui.app import VoicemailApp
from simulator.tui.screens.drill.turn import DrillTurnScreen
from simulator.tui.services import Services
from simulator.tui.startup import PracticeStart, StartRequest
from simulator.voice.cache import GreetingCache
from simulator.voice.synth import Pyttsx3Synthesizer, Synthesizer

FIXED_START = datetime(2026, 11, 23, 10, 30, tzinfo=timezone(timedelta(hours=1)))

# What is said in conftest's ``spoken_take``, timed as Whisper timed it on one machine, with the
# words it misheard there ("i am out at third") put right: screens pinned by snapshots must not
# depend on the recogniser's words, which differ slightly between CPUs.
SPOKEN_TAKE_TRANSCRIPT = transcript_of(
    "hi@0.0-0.32 anne@0.32-0.6 it's@0.96-1.18 sam@1.18-1.36 patel@1.36-1.72 from@1.72-2.1 "
    "clearline@2.1-2.54 office@2.54-2.86 solutions@2.86-3.36 i@3.84-4.1 can@4.1-4.3 cut@4.3-4.54 "
    "your@4.54-4.82 firm's@4.82-5.44 printing@5.44-5.68 costs@5.68-6.08 by@6.08-6.2 about@6.2-6.52 "
    "a@6.52-6.62 third@6.62-7.04 call@7.35-7.79 me@7.79-8.01 on@8.01-8.21 zero@8.21-8.41 "
    "one@8.41-8.75 one@8.75-9.03 six@9.03-9.39 four@9.61-9.92 nine@9.92-10.24 six@10.24-10.55 "
    "zero@10.55-11.25 seven@11.25-11.61 three@11.61-11.91 two@11.91-12.41 i'll@12.42-12.88 "
    "try@12.88-13.08 you@13.08-13.22 again@13.22-13.56 thursday@13.56-14.02 morning@14.02-14.4"
)


def sample_attempt(
    n: int,
    *assessments: ScoredAssessment,
    trainee: str = "",
    days: int = 0,
    title: str = "Cold call: cutting print costs for a law firm",
) -> Attempt:
    """The ``n``-th of a set of cold-call attempts, a day apart if ``days`` says so."""
    return Attempt(
        id=f"{n:032x}",
        trainee=trainee or f"Trainee {n}",
        scenario_id="cold-call",
        scenario_title=title,
        scenario_version=1,
        started_at=FIXED_START + timedelta(days=days),
        duration_s=20.0 + n,
        audio_file=f"{n}.wav",
        analysis=analysis_with(words=30 + n),
        assessments=assessments,
    )


def fixed_preview(clip: Clip, scenario: Scenario, caller: str, setting: PhoneLine) -> PhonePreview:
    """The take over the line as a fixed recogniser heard it: screens the same on every machine."""
    first = "Hi Anne it's Sam Patel from Clearline Office Solutions I can cut your firm's printing costs…"
    return PhonePreview(PhoneLine.LANDLINE, scenario.brief.callback_number or "Unknown", clip.duration_s,
                        first, SPOKEN_TAKE_TRANSCRIPT, first[:-1] + " by about a third")  # fmt: skip


def make_services(
    tmp_path: Path,
    take: Path | None,
    *,
    speed: float = 4.0,
    open_audio: Callable[[], AudioBackend] | None = None,
    synthesizer: Synthesizer | None = None,
    trainee: str = "",
    greetings_dir: Path | None = None,
    play_back: bool = False,
) -> Services:
    library = load_library([shipped_scenarios_dir()])
    return Services(
        library=library,
        store=Store(tmp_path / "data"),
        greetings=GreetingCache(greetings_dir or tmp_path / "greetings", synthesizer or Pyttsx3Synthesizer()),
        open_audio=open_audio or (lambda: FileBackend(take, speed=speed)),
        settings=Settings(trainee_name=trainee, rings=0, play_back=play_back),  # snapshots: a still review
        hear_as_prospect=fixed_preview,
        campaigns=load_campaigns([shipped_scenarios_dir()], library.scenarios),
    )


def make_app(
    tmp_path: Path, take: Path | None, start: StartRequest | None = None, **kwargs: object
) -> VoicemailApp:
    """The app on test services, opening on ``start`` (the start screen by default)."""
    services = make_services(tmp_path, take, **kwargs)  # type: ignore[arg-type]
    return VoicemailApp(services, start or PracticeStart())


async def wait_for(pilot: Pilot, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    """Let the app run until ``condition`` holds and the screen on top is mounted (a pushed screen
    is on top before its widgets are composed); fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not (condition() and pilot.app.screen.is_mounted):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting; screen is {pilot.app.screen!r}")
        await pilot.pause(0.05)
        await asyncio.sleep(0)


async def presenter_view(app: VoicemailApp, pilot: Pilot, drill: Drill) -> DrillTurnScreen:
    """The drill's presenter view, pushed over whatever is on screen, once it is mounted."""
    screen = DrillTurnScreen(DrillSession(drill, app.services.store, app.services.library))
    await app.push_screen(screen)
    await wait_for(pilot, lambda: screen.is_mounted)
    return screen


def finished_practice(
    store: Store,
    scenario_id: str,
    take_wav: Path,
    trainee: str = "Sam Patel",
    heard: Transcript = SPOKEN_TAKE_TRANSCRIPT,
) -> PracticeAttempt:
    """An attempt whose take is ``take_wav``, recorded at a fixed time, in which the recogniser
    heard ``heard``: deterministic screens on every machine."""
    scenario = load_library([shipped_scenarios_dir()]).get(scenario_id)
    practice = PracticeAttempt(store, scenario, trainee)
    practice.transcriber = FixedTranscriber(heard)  # type: ignore[assignment]
    practice.id = "0123456789abcdef0123456789abcdef"
    practice.started_at = FIXED_START
    practice.audio_path = store.take_path(trainee, scenario.id, FIXED_START, practice.id)
    practice.audio_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(take_wav, practice.audio_path)
    info = sf.info(str(practice.audio_path))
    practice.finish(Take(practice.audio_path, info.samplerate, info.frames, 0, False, info.duration))
    return practice


# What a trainee left at the first two steps of friday-monday, as a fixed recogniser heard them:
# the second repeats most of the first (the repetition check has something to show).
CAMPAIGN_HEARD = (
    "hi marcus it's alex grant at safeguard backup your data protection audit is in march we give "
    "practices the backup paperwork auditors ask for call me on zero one three one four nine six zero "
    "eight five two i'll try you again on monday",
    "hi marcus alex grant from safeguard backup with your audit in march we give practices the backup "
    "paperwork auditors ask for call me on zero one three one four nine six zero eight five two "
    "i'll call wednesday at ten",
)


def campaign_practices(
    store: Store,
    take_wav: Path,
    campaign: Campaign,
    *,
    trainee: str = "Alex Grant",
    heard: tuple[str, ...] = CAMPAIGN_HEARD,
    first_id: int = 1,
) -> list[PracticeAttempt]:
    """The campaign's first steps left and self-assessed at fixed times, each heard as ``heard``
    says (a word every 0.3 s): deterministic campaign screens on every machine. ``first_id``
    numbers the attempts (and days them) from there, so a later call adds retakes."""
    practices: list[PracticeAttempt] = []
    for number, text in enumerate(heard, start=1):
        earlier = tuple(
            EarlierMessage(n, campaign.step(n).at, tuple(said.split()))
            for n, said in enumerate(heard[: number - 1], start=1)
        )
        scenario = as_called_by(campaign.step_scenario(number, earlier), trainee)
        practice = PracticeAttempt(store, scenario, trainee)
        words = " ".join(f"{w}@{i * 0.3:.1f}-{i * 0.3 + 0.24:.2f}" for i, w in enumerate(text.split()))
        practice.transcriber = FixedTranscriber(transcript_of(words))  # type: ignore[assignment]
        practice.id = f"{number + first_id - 1:032x}"
        practice.started_at = FIXED_START + timedelta(days=number + first_id - 2)
        practice.audio_path = store.take_path(trainee, scenario.id, practice.started_at, practice.id)
        practice.audio_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(take_wav, practice.audio_path)
        info = sf.info(str(practice.audio_path))
        practice.finish(Take(practice.audio_path, info.samplerate, info.frames, 0, False, info.duration))
        ratings = {c.id: c.scale.top - (i % 2) for i, c in enumerate(scenario.rubric.criteria)}
        practice.assess(Assessment(Rater(RaterKind.SELF, trainee), ratings, rated_at=practice.started_at))
        practices.append(practice)
    return practices


def plain(shown: Static | RenderableType, width: int = 400) -> str:
    """A widget's (or a renderable's) text as printed on a line wide enough not to wrap."""
    content = shown.content if isinstance(shown, Static) else shown
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(content)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())
