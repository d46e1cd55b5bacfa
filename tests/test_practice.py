"""From the stop to the saved record: the results do not wait for the recogniser's last words."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from simulator.analysis.transcribe import Transcriber, Transcript
from simulator.analysis.whisper import MODEL_ENV
from simulator.attempts import Assessment, Rater, RaterKind
from simulator.audio.base import Clip
from simulator.audio.file_device import FileBackend
from simulator.locations import shipped_scenarios_dir
from simulator.practice import PracticeAttempt
from simulator.records import load_record
from simulator.scenario_loader import load_library
from simulator.store import Store

from .app_support import wait_for

COLD_CALL = load_library([shipped_scenarios_dir()]).get("cold-call")


class HeldTranscriber(Transcriber):
    """A real recogniser whose last words are held back until :attr:`release` is set, as when the
    trainee speaks right up to the stop key and Whisper needs one more pass."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.release = threading.Event()

    def done(self, within_s: float = 0.0) -> bool:
        return self.release.wait(within_s) and super().done(30.0)

    def finish(self, timeout: float = 30.0) -> Transcript:
        self.release.wait(timeout)
        return super().finish(timeout)


def record(practice: PracticeAttempt, take: Path) -> Clip:
    """Record ``take`` through the file-backed microphone, as fast as it will go; the take recorded."""
    recorder = practice.start_recording(FileBackend(take, speed=float("inf")))
    source = Clip.load(take)
    while recorder.elapsed_s < source.duration_s + 0.5:
        time.sleep(0.01)
    practice.finish(recorder.stop())
    assert practice.audio_path is not None
    return Clip.load(practice.audio_path)


def held_practice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PracticeAttempt:
    held: list[HeldTranscriber] = []

    def start(self: PracticeAttempt) -> HeldTranscriber:
        held.append(HeldTranscriber())
        return held[-1]

    monkeypatch.setattr(PracticeAttempt, "_start_transcriber", start)
    return PracticeAttempt(Store(tmp_path / "data"), COLD_CALL, "Sam Patel")


def test_the_record_is_saved_at_once_and_the_last_words_are_added_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spoken_take: Path
) -> None:
    practice = held_practice(tmp_path, monkeypatch)
    started = time.monotonic()
    record(practice, spoken_take)
    assert practice.hearing
    assert practice.audio_path is not None and practice.attempt is not None
    saved = load_record(practice.store.record_path(practice.audio_path))
    assert saved.analysis is not None and saved.analysis.measurements.duration_s > 8
    assert saved.analysis.words is None and saved.analysis.transcript is None  # measured, no words yet
    assert practice.hints["phone_number"].value is None and practice.hints["duration"].value is not None

    # the trainee rates before the words are in: neither save loses the other
    ratings = {c.id: 1 for c in COLD_CALL.rubric.criteria}
    scored = practice.assess(Assessment(Rater(RaterKind.SELF, "Sam Patel"), ratings))
    assert isinstance(practice.transcriber, HeldTranscriber)
    practice.transcriber.release.set()
    assert practice.hear_words() is True
    assert not practice.hearing and time.monotonic() - started < 60
    saved = load_record(practice.store.record_path(practice.audio_path))
    assert saved.analysis is not None and saved.analysis.transcript is not None
    assert saved.analysis.words == pytest.approx(32, abs=3)
    assert "thursday" in saved.analysis.transcript.text
    assert saved.analysis.hints["phone_number"].value is True and practice.hints["phone_number"].value is True
    assert [s.assessment for s in saved.assessments] == [scored.assessment]


def test_words_ready_in_time_are_saved_with_the_first_record(tmp_path: Path, spoken_take: Path) -> None:
    """The usual case: the trainee stops a moment after their last word, which is heard by then."""
    practice = PracticeAttempt(Store(tmp_path / "data"), COLD_CALL, "Sam Patel")
    recorder = practice.start_recording(FileBackend(spoken_take, speed=float("inf")))
    while recorder.elapsed_s < Clip.load(spoken_take).duration_s + 0.5:
        time.sleep(0.01)
    assert practice.transcriber is not None
    take = recorder.stop()
    practice.transcriber.end_of_audio()
    assert practice.transcriber.done(within_s=30.0)  # heard before the stop key
    practice.finish(take)
    assert not practice.hearing and practice.hear_words() is False
    analysis = practice.attempt.analysis if practice.attempt is not None else None
    assert analysis is not None and analysis.transcript is not None and "thursday" in analysis.transcript.text


def test_without_a_recogniser_the_take_and_its_timing_still_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spoken_take: Path
) -> None:
    """No Whisper model: the record is saved without words; nothing raises (it did, in the app)."""
    monkeypatch.setenv(MODEL_ENV, str(tmp_path))
    practice = PracticeAttempt(Store(tmp_path / "data"), COLD_CALL, "Sam Patel")
    record(practice, spoken_take)
    practice.hear_words()
    assert practice.attempt is not None and not practice.hearing
    analysis = practice.attempt.analysis
    assert analysis is not None and analysis.words is None and analysis.measurements.duration_s > 8
    assert practice.hints["duration"].value is not None and practice.hints["phone_number"].value is None


async def test_the_review_shows_the_take_at_once_and_its_words_when_heard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spoken_take: Path
) -> None:
    from simulator.tui.screens.assess import AssessScreen
    from simulator.tui.screens.review import ReviewScreen

    from .app_support import make_app

    practice = held_practice(tmp_path, monkeypatch)
    record(practice, spoken_take)
    app = make_app(tmp_path, spoken_take)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.push_screen(ReviewScreen(practice))
        app.hear_last_words(practice)
        shown = lambda: str(app.screen.query_one("#measurements").render())  # noqa: E731
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert "Recorded" in shown() and "still hearing your last words" in shown()
        assert "What the machine heard" not in shown()
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, AssessScreen))
        hint = lambda: str(app.screen.query_one("#hint").render())  # noqa: E731
        assert "still hearing your last words" in hint()  # the first criterion: the prospect's name
        assert isinstance(practice.transcriber, HeldTranscriber)
        practice.transcriber.release.set()
        await wait_for(pilot, lambda: "still hearing" not in hint())
        assert "✓" in hint() and "anne" in hint().lower()
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await wait_for(pilot, lambda: "What the machine heard" in shown())
        assert "still hearing" not in shown() and "thursday" in shown()
