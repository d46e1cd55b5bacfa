"""The practice flow driven with Pilot, on the file-backed device with a real synthesised take."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import soundfile as sf
from textual.widgets import DataTable, Input, OptionList

from simulator.audio.base import Clip, NoInputDeviceError
from simulator.records import load_record
from simulator.store import list_attempts
from simulator.tui.screens.assess import AssessScreen
from simulator.tui.screens.brief import BriefScreen
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.dialogs import AudioProblemScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.results import ResultsScreen
from simulator.tui.screens.review import ReviewScreen
from simulator.tui.screens.start import StartScreen
from simulator.voice import synth

from .app_support import make_app, plain, wait_for

COLD_CALL_RATINGS = ["2", "1", "y", "n", "y", "2", "y", "1", "y"]


async def test_whole_practice_flow(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take, speed=4.0)
    spoken = Clip.load(spoken_take).duration_s
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        await pilot.press(*"Zoë O'Neil", "enter")
        assert app.screen.query_one("#scenarios", OptionList).has_focus
        await pilot.press("enter")  # the first scenario: the canonical cold call
        await wait_for(pilot, lambda: isinstance(app.screen, BriefScreen))
        assert app.screen.scenario.id == "cold-call"
        await pilot.click("#notes")
        await pilot.press(*"name, company, cost")
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
        call = app.screen
        await wait_for(pilot, lambda: call.phase == "recording")
        assert "This is Anne" in str(call.query_one("#caption").render())
        await wait_for(pilot, lambda: call.recorder is not None and call.recorder.elapsed_s > spoken + 0.5)
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        review = app.screen
        await wait_for(pilot, lambda: review.player is not None)
        await pilot.press("p")
        await wait_for(pilot, lambda: review.player.position_s > 0.5)
        await pilot.press("p", "right")
        assert not review.player.playing
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, AssessScreen))
        await pilot.press("ctrl+s")  # nothing rated yet: refused, stays
        assert isinstance(app.screen, AssessScreen)
        # before it is rated, each criterion shows the keys that rate it: the rubric mixes scales
        listed = app.screen.query_one("#criteria", OptionList)
        criteria = app.screen.criteria
        keys = [plain(listed.get_option_at_index(n).prompt).split()[0] for n in range(len(criteria))]
        assert keys == ["y/n" if c.scale.value == "yes-no" else "0-2" for c in criteria]
        assert set(keys) == {"y/n", "0-2"}
        await pilot.press(*COLD_CALL_RATINGS)
        rated = [plain(listed.get_option_at_index(n).prompt).split()[0] for n in range(listed.option_count)]
        assert not {"y/n", "0-2"} & set(rated), rated
        await pilot.click("#overall-note")
        await pilot.press(*"slow the number down")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        assert app.screen.query_one("#score").value == "79"
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        history = app.screen.query_one("#attempts", DataTable)
        await wait_for(pilot, lambda: history.row_count == 1)  # the records are read in a worker

    listing = list_attempts([app.services.store])
    assert not listing.problems
    (attempt,) = listing.attempts
    record = listing.paths[attempt.id]
    assert record.parent.parent.parent == tmp_path / "data" / "recordings"
    assert record.parent.parent.name.startswith("zoë-o-neil-")
    audio = record.with_name(attempt.audio_file)
    assert sf.info(str(audio)).duration == pytest.approx(attempt.duration_s, abs=0.01)
    assert attempt.trainee == "Zoë O'Neil"
    assert attempt.scenario_id == "cold-call" and attempt.scenario_version == 1
    assert attempt.started_at.tzinfo is not None
    assert attempt.prep_notes == "name, company, cost"
    assert attempt.duration_s > spoken
    assert attempt.analysis is not None and attempt.analysis.measurements.has_speech is True
    (scored,) = attempt.assessments
    assert scored.assessment.rater.kind.value == "self"
    assert scored.assessment.ratings["three-part-intro"] == 2
    assert scored.assessment.notes == "slow the number down"
    assert scored.score == 78.85  # 10.25 of 13 weighted points (78.846…, kept to 0.01)
    assert load_record(record) == attempt
    assert app.services.settings.trainee_name == "Zoë O'Neil"


async def test_remembered_name_and_scenario_stats(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take, trainee="Sam Patel")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        assert app.screen.query_one("#trainee", Input).value == "Sam Patel"
        prompt = str(app.screen.query_one("#scenarios", OptionList).get_option_at_index(0).prompt)
        assert "not tried yet" in prompt


async def test_name_is_required_before_the_brief(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        app.screen.query_one("#scenarios", OptionList).focus()
        await pilot.press("enter")
        assert isinstance(app.screen, StartScreen)
        assert app.screen.query_one("#trainee", Input).has_focus


async def test_hang_up_before_the_beep_asks_first(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take, speed=1.0, trainee="Sam")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter", "ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
        call = app.screen
        await wait_for(pilot, lambda: call.phase in ("ringing", "greeting"))
        await pilot.press("space")  # walked: nothing happened, and nothing said why
        assert app.screen is call and call.phase in ("ringing", "greeting")
        assert any("Recording starts after the beep" in n.message for n in app._notifications)
        await pilot.press("escape")
        await pilot.press("n")  # keep going
        assert app.screen is call
        await pilot.press("escape", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, BriefScreen))
    assert not list((tmp_path / "data").rglob("*.wav"))


async def test_discarding_a_take_keeps_nothing(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take, speed=4.0, trainee="Sam")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter", "ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
        call = app.screen
        await wait_for(pilot, lambda: call.phase == "recording")
        await pilot.press("escape", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, BriefScreen))
    assert not list((tmp_path / "data").rglob("*.wav"))
    assert not list((tmp_path / "data").rglob("*.toml"))


async def test_no_microphone_offers_practice_without_audio(tmp_path: Path) -> None:
    def no_devices():  # type: ignore[no-untyped-def]
        raise NoInputDeviceError("No microphone found. Connect one.")

    app = make_app(tmp_path, None, open_audio=no_devices, trainee="Sam")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter", "ctrl+d")
        await wait_for(
            pilot, lambda: isinstance(app.screen, AudioProblemScreen) and app.screen.query(".dialog-text")
        )
        assert "No microphone found" in str(app.screen.query_one(".dialog-text").render())
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
        call = app.screen
        assert app.without_audio
        await wait_for(pilot, lambda: call.phase == "recording")
        await pilot.pause(0.5)
        status = str(call.query_one("#call-status").render())
        assert status.startswith("No microphone: say the message aloud") and "Recording" not in status
        assert "on the record" not in str(call.query_one("#on-record").render())
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        shown = str(app.screen.query_one("#measurements").render())
        # issue #17: a take never recorded is not measured or judged ("Silence before speaking
        # 8.0 s (hesitation)", "Loudness -120 dBFS", "✗ no speech was heard" on every hint)
        assert "Practised without audio: nothing was recorded" in shown
        assert "Silence before speaking" not in shown and "dBFS" not in shown
        practice = app.screen.practice
        assert practice.hints == {} and practice.attempt is not None and practice.attempt.analysis is None


async def test_missing_speech_engine_still_lets_the_trainee_practise(
    tmp_path: Path, spoken_take: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(synth, "espeak_version", lambda: None)
    app = make_app(tmp_path, spoken_take, speed=8.0, trainee="Sam")
    notices: list[str] = []
    original_notify = app.notify

    def notify(message: str, **kwargs: object) -> None:
        notices.append(message)
        original_notify(message, **kwargs)  # type: ignore[arg-type]

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: any("espeak-ng" in n for n in notices))
        await pilot.press("enter", "enter", "ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
        call = app.screen
        await wait_for(pilot, lambda: call.phase == "recording")
        assert "This is Anne" in str(call.query_one("#caption").render())


async def test_unwritable_recordings_folder_is_explained(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take, speed=8.0, trainee="Sam")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "recordings").write_text("a file where the folder should be")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter", "ctrl+d")
        await wait_for(
            pilot, lambda: isinstance(app.screen, AudioProblemScreen) and app.screen.query(".dialog-text")
        )
        text = str(app.screen.query_one(".dialog-text").render())
        assert "recordings" in text and "writable" in text
        await pilot.press("a")  # not offered for a storage problem
        assert isinstance(app.screen, AudioProblemScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BriefScreen))


async def test_reports_screen_shows_the_class_and_exports(tmp_path: Path, spoken_take: Path) -> None:
    from simulator.tui.screens.reports import ReportsScreen

    from .app_support import finished_practice

    app = make_app(tmp_path, spoken_take, trainee="Sam Patel")
    practice = finished_practice(app.services.store, "cold-call", spoken_take)
    from simulator.attempts import Assessment, Rater, RaterKind

    practice.assess(
        Assessment(Rater(RaterKind.SELF, "Sam Patel"), dict.fromkeys(practice.scenario.rubric.ids, 1))
    )
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        app.screen.query_one("#scenarios", OptionList).focus()
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportsScreen))
        screen = app.screen
        await wait_for(
            pilot, lambda: "Class report: 1 attempt," in str(screen.query_one("#report-text").render())
        )
        await pilot.press("c", "w", "t")  # walked: the screen had no TOML export, only the shell
        exports = tmp_path / "data" / "exports"
        await wait_for(pilot, lambda: sum("written to" in n.message for n in app._notifications) == 3)
        told = [n.message for n in app._notifications if "written to" in n.message]
        assert any(m.startswith("1 row written to scores-") and m.endswith(f"\nin {exports}") for m in told)
        assert any(m.startswith("1 attempt written to scores-") and ".toml\n" in m for m in told)
    toml_file = next(exports.glob("scores-*.toml"))
    assert tomllib.loads(toml_file.read_text(encoding="utf-8"))["attempt"][0]["trainee"] == "Sam Patel"
    csv_file = next(exports.glob("scores-*.csv"))
    assert next(exports.glob("class-report-*.html")).read_text(encoding="utf-8").startswith("<!doctype html>")
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbfdate,trainee")


async def test_next_trainee_types_over_the_remembered_name(tmp_path: Path, spoken_take: Path) -> None:
    """On a shared workstation the name field comes first, the last name selected: typing a name
    full of the start screen's keys (d, h, n, r) replaces it instead of opening other screens."""
    app = make_app(tmp_path, spoken_take, trainee="Sam Patel")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        assert app.screen.query_one("#trainee", Input).has_focus
        await pilot.press(*"Andrea Rhodes")
        assert isinstance(app.screen, StartScreen)
        assert app.screen.query_one("#trainee", Input).value == "Andrea Rhodes"
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, BriefScreen))
    assert app.services.settings.trainee_name == "Andrea Rhodes"


async def test_a_name_is_remembered_on_enter(tmp_path: Path, spoken_take: Path) -> None:
    """Walked: an instructor typed their name, Enter, then r for the reports; the next launch had
    forgotten it ("it is remembered on this workstation" only held once a brief was opened)."""
    app = make_app(tmp_path, spoken_take, trainee="")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        await pilot.press(*"Jo Trainer", "enter")
        await pilot.pause()
    assert app.services.settings.trainee_name == "Jo Trainer"
