"""Snapshots of the key screens at 80×24 (and the start screen at 120×40).

Regenerate after an intended change with ``pytest tests/test_app_snapshots.py --snapshot-update``
and look at the SVGs before committing them.

No snapshot may depend on the recogniser's words: Whisper's int8 kernels are chosen by CPU and
give slightly different words on each. Takes are heard through a stand-in with a fixed transcript
(``app_support.SPOKEN_TAKE_TRANSCRIPT``), and the real recogniser is refused here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Digits, Static

from simulator.attempts import Assessment, Rater, RaterKind
from simulator.drill import Drill
from simulator.drill_session import DrillSession
from simulator.locations import shipped_scenarios_dir
from simulator.scenario_loader import load_library
from simulator.tui.screens.assess import AssessScreen
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.campaign import CampaignScreen
from simulator.tui.screens.campaign_summary import CampaignSummaryScreen
from simulator.tui.screens.dialogs import AudioProblemScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.inbox import InboxScreen
from simulator.tui.screens.results import ResultsScreen
from simulator.tui.screens.review import ReviewScreen
from simulator.tui.startup import DrillResumeStart
from simulator.tui.widgets.meters import LevelMeter, TimingBar
from simulator.voice.cache import GreetingCache
from simulator.voice.synth import Pyttsx3Synthesizer

from .app_support import FIXED_START, campaign_practices, finished_practice, make_app, wait_for


@pytest.fixture(autouse=True)
def no_real_recogniser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any snapshot whose words would come from Whisper (a recording screen's own
    recogniser fails quietly: its take is never shown)."""

    def refuse() -> None:
        raise AssertionError("snapshots must not depend on the recogniser's words: use a FixedTranscriber")

    monkeypatch.setattr("simulator.analysis.whisper.whisper_model", refuse)


@pytest.fixture(scope="module")
def greetings_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("greetings")
    library = load_library([shipped_scenarios_dir()])
    GreetingCache(folder, Pyttsx3Synthesizer()).warm([s.prospect for s in library.ordered()])
    return folder


@pytest.fixture
def app_factory(tmp_path: Path, spoken_take: Path, greetings_dir: Path):  # type: ignore[no-untyped-def]
    def build(**kwargs: object):  # type: ignore[no-untyped-def]
        return make_app(tmp_path, spoken_take, trainee="Sam Patel", greetings_dir=greetings_dir, **kwargs)

    return build


def assessed_practice(app, spoken_take: Path):  # type: ignore[no-untyped-def]
    practice = finished_practice(app.services.store, "cold-call", spoken_take)
    ratings = dict(zip(practice.scenario.rubric.ids, [2, 1, 1, 0, 1, 2, 1, 1, 1], strict=True))
    practice.assess(Assessment(Rater(RaterKind.SELF, "Sam Patel"), ratings, rated_at=FIXED_START))
    return practice


def test_start_screen(snap_compare, app_factory) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_factory(), terminal_size=(80, 24))


def test_start_screen_large(snap_compare, app_factory) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_factory(), terminal_size=(120, 40))


def test_brief_screen(snap_compare, app_factory) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_factory(), press=["enter", "enter"], terminal_size=(80, 24))


def test_call_screen_recording(snap_compare, app_factory) -> None:  # type: ignore[no-untyped-def]
    async def recording(pilot: Pilot) -> None:
        await pilot.press("enter", "enter", "ctrl+d")
        call = pilot.app.screen
        assert isinstance(call, CallScreen)
        await wait_for(pilot, lambda: call.phase == "recording")
        assert call.ticker is not None
        call.ticker.stop()  # freeze the display at a chosen moment
        call.query_one("#timer", Digits).update("0:14.2")
        call.query_one("#timing", TimingBar).elapsed = 14.2
        meter = call.query_one("#level", LevelMeter)
        meter.rms_dbfs, meter.peak_dbfs = -18.0, -6.0
        call.query_one("#on-record", Static).update("In the target window")
        await pilot.pause()

    assert snap_compare(app_factory(), run_before=recording, terminal_size=(80, 24))


def test_review_screen(snap_compare, app_factory, spoken_take: Path) -> None:  # type: ignore[no-untyped-def]
    app = app_factory()

    async def review(pilot: Pilot) -> None:
        screen = ReviewScreen(finished_practice(app.services.store, "cold-call", spoken_take))
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.player is not None and screen.practice.preview is not None)
        await pilot.pause(0.2)

    assert snap_compare(app, run_before=review, terminal_size=(80, 24))


def test_assessment_screen(snap_compare, app_factory, spoken_take: Path) -> None:  # type: ignore[no-untyped-def]
    app = app_factory()

    async def assess(pilot: Pilot) -> None:
        await app.push_screen(AssessScreen(finished_practice(app.services.store, "cold-call", spoken_take)))
        await pilot.press("2", "1", "y")
        await pilot.pause()

    assert snap_compare(app, run_before=assess, terminal_size=(80, 24))


def test_results_screen(snap_compare, app_factory, spoken_take: Path) -> None:  # type: ignore[no-untyped-def]
    app = app_factory()

    async def results(pilot: Pilot) -> None:
        screen = ResultsScreen(assessed_practice(app, spoken_take))
        await app.push_screen(screen)
        trend = screen.query_one("#trend-text", Static)
        await wait_for(pilot, lambda: bool(str(trend.render())))  # the records are read in a worker
        await wait_for(pilot, lambda: screen.practice.preview is not None)  # and the phone's preview
        await pilot.pause()

    assert snap_compare(app, run_before=results, terminal_size=(80, 24))


def test_history_screen(snap_compare, app_factory, spoken_take: Path) -> None:  # type: ignore[no-untyped-def]
    app = app_factory()

    async def history(pilot: Pilot) -> None:
        assessed_practice(app, spoken_take)
        screen = HistoryScreen()
        await app.push_screen(screen)
        table = screen.query_one("#attempts", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)  # the records are read in a worker
        await pilot.pause()

    assert snap_compare(app, run_before=history, terminal_size=(80, 24))


def test_no_microphone_dialog(snap_compare, app_factory) -> None:  # type: ignore[no-untyped-def]
    app = app_factory()

    async def problem(pilot: Pilot) -> None:
        await app.push_screen(
            AudioProblemScreen("No microphone found. Connect one, or check 'voicemail-sim devices'.")
        )
        await pilot.pause()

    assert snap_compare(app, run_before=problem, terminal_size=(80, 24))


def planned_drill() -> Drill:
    drill = Drill.plan(["Asha Rao", "Ben Okoro", "Chloé Martin"], ["cold-call"], 2)
    drill.id = "20261123-1030-abcdef"
    return drill


def test_drill_presenter_view(snap_compare, app_factory) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_factory(start=DrillResumeStart(planned_drill())), terminal_size=(80, 24))


def test_drill_reveal(snap_compare, app_factory, spoken_take: Path) -> None:  # type: ignore[no-untyped-def]
    from simulator.tui.screens.drill import RevealScreen

    app = app_factory()

    async def reveal(pilot: Pilot) -> None:
        session = DrillSession(planned_drill(), app.services.store, app.services.library)
        practice = finished_practice(app.services.store, "cold-call", spoken_take, trainee="Asha Rao")
        ids = practice.scenario.rubric.ids
        practice.assess(
            Assessment(
                Rater(RaterKind.SELF, "Asha Rao"), dict(zip(ids, [2, 2, 1, 1, 1, 2, 1, 2, 1], strict=True))
            )
        )
        practice.assess(
            Assessment(
                Rater(RaterKind.INSTRUCTOR, "instructor"),
                dict(zip(ids, [2, 1, 1, 0, 1, 1, 0, 1, 1], strict=True)),
            )
        )
        practice.assess(
            Assessment(
                Rater(RaterKind.PEER, "Ben Okoro"), dict(zip(ids, [2, 1, 1, 1, 1, 2, 1, 1, 1], strict=True))
            )
        )
        await app.push_screen(RevealScreen(session, practice.attempt, practice))
        await pilot.pause()

    assert snap_compare(app, run_before=reveal, terminal_size=(80, 24))


def test_drill_call_big_clock(snap_compare, app_factory) -> None:  # type: ignore[no-untyped-def]
    from simulator.scenario_loader import load_library as load

    app = app_factory()

    async def recording(pilot: Pilot) -> None:
        scenario = load([shipped_scenarios_dir()]).get("cold-call")
        call = CallScreen(scenario, trainee="Asha Rao", drill_id="d", presenter=True)
        await app.push_screen(call)
        await wait_for(pilot, lambda: call.phase == "recording")
        assert call.ticker is not None
        call.ticker.stop()
        call.query_one("#timer").update("0:27.5")
        call.query_one("#timing", TimingBar).elapsed = 27.5
        meter = call.query_one("#level", LevelMeter)
        meter.rms_dbfs, meter.peak_dbfs = -22.0, -9.0
        call.query_one("#on-record", Static).update("In the target window")
        await pilot.pause()

    assert snap_compare(app, run_before=recording, terminal_size=(80, 24))


async def _campaign_timeline(app, spoken_take: Path, pilot: Pilot):  # type: ignore[no-untyped-def]
    """friday-monday with its first two steps left (fixed words), its timeline open."""
    campaign = app.services.campaigns.get("friday-monday")
    campaign_practices(app.services.store, spoken_take, campaign, trainee="Sam Patel")
    await app.push_screen(CampaignScreen(campaign))
    await wait_for(pilot, lambda: app.screen.record is not None)
    await pilot.pause()
    return app.screen


def test_campaign_timeline(snap_compare, app_factory, spoken_take: Path) -> None:  # type: ignore[no-untyped-def]
    app = app_factory()

    async def timeline(pilot: Pilot) -> None:
        await _campaign_timeline(app, spoken_take, pilot)

    assert snap_compare(app, run_before=timeline, terminal_size=(80, 24))


def test_campaign_inbox(snap_compare, app_factory, spoken_take: Path) -> None:  # type: ignore[no-untyped-def]
    app = app_factory()

    async def inbox(pilot: Pilot) -> None:
        await _campaign_timeline(app, spoken_take, pilot)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen))
        await pilot.pause()

    assert snap_compare(app, run_before=inbox, terminal_size=(80, 24))


def test_campaign_summary(snap_compare, app_factory, spoken_take: Path) -> None:  # type: ignore[no-untyped-def]
    app = app_factory()

    async def summary(pilot: Pilot) -> None:
        await _campaign_timeline(app, spoken_take, pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, CampaignSummaryScreen))
        await pilot.pause()

    assert snap_compare(app, run_before=summary, terminal_size=(80, 24))
