"""The results never contradict the evidence (issue #17): a poor take rated full marks is not
congratulated; what the timing and the machine's hints say against the rating comes first."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from textual.screen import Screen
from textual.widgets import Digits, Static

from simulator.analysis.hints import disagreements, duration_hint, machine_hints
from simulator.analysis.record import Transcript
from simulator.attempts import Assessment, Rater, RaterKind, ScoredAssessment, TimingVerdict, score_assessment
from simulator.campaign_loader import load_campaigns
from simulator.practice import SILENT_TAKE, Feedback, PracticeAttempt, feedback_for
from simulator.scenario_loader import load_library
from simulator.scenarios import Scenario
from simulator.testing.recogniser import transcript_of
from simulator.testing.speech import speak
from simulator.tui.screens.results import ResultsScreen, trend_bars, trend_text, what_the_machine_says
from simulator.tui.text import WORDS_LOST, hint_text, measurements_text

from .app_support import FIXED_START, finished_practice, make_app, plain, wait_for
from .heard_support import COLD_CALL, hints_for

POOR_TAKE = "Hey, it's Sam, just checking in, talk soon."
POOR_WORDS = transcript_of("hey@0.1-0.3 it's@0.3-0.5 sam@0.5-0.9 just@1.0-1.2 checking@1.2-1.6 in@1.6-1.8 "
                           "talk@2.0-2.3 soon@2.3-2.7")  # fmt: skip
CONGRATULATION = "Full marks on every criterion. Try a harder scenario."


@pytest.fixture
def poor_take(tmp_path: Path) -> Path:
    return speak(POOR_TAKE, tmp_path / "poor.wav", "en-us", 160)


def _full_marks(practice) -> None:  # type: ignore[no-untyped-def]
    top = {c.id: c.scale.top for c in practice.scenario.rubric.criteria}
    practice.assess(Assessment(Rater(RaterKind.SELF, "Sam Patel"), top, rated_at=FIXED_START))


def test_a_poor_take_rated_full_marks_leads_with_the_evidence(tmp_path: Path, poor_take: Path) -> None:
    practice = finished_practice(
        make_app(tmp_path, poor_take).services.store, "cold-call", poor_take, heard=POOR_WORDS
    )
    _full_marks(practice)
    feedback = practice.feedback()
    assert feedback.check_first[0].startswith("Timing: too short")
    assert feedback.check_first[1].startswith("The machine heard less than you rated on: ")
    doubted = feedback.check_first[1].split(": ", 1)[1].split(", ")
    assert len(doubted) >= 3 and not set(doubted) & set(feedback.strongest)
    assert not feedback.work_on


async def test_the_results_screen_does_not_congratulate_it(tmp_path: Path, poor_take: Path) -> None:
    app = make_app(tmp_path, poor_take)
    async with app.run_test(size=(80, 24)) as pilot:
        practice = finished_practice(app.services.store, "cold-call", poor_take, heard=POOR_WORDS)
        _full_marks(practice)
        await app.push_screen(ResultsScreen(practice))
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        shown = plain(app.screen.query_one("#feedback", Static))
        assert shown.startswith("Check first: listen back")
        assert CONGRATULATION not in shown and "Timing: too short" in shown
        assert "the machine's evidence here disagrees" in shown


def test_a_good_take_names_only_what_the_machine_doubts(tmp_path: Path, spoken_take: Path) -> None:
    """The model message in the target window, its number said once (the machine's ⚠: say it
    twice): only that criterion is to check; the rest are strengths."""
    practice = finished_practice(make_app(tmp_path, spoken_take).services.store, "cold-call", spoken_take)
    _full_marks(practice)
    feedback = practice.feedback()
    assert feedback.check_first == ["The machine heard less than you rated on: Number she can write down"]
    assert len(feedback.strongest) == len(practice.scenario.rubric.criteria) - 1


def results_for(scenario: Scenario) -> ResultsScreen:
    """A results screen, not mounted, for a practice of ``scenario``: its text alone."""
    screen = ResultsScreen.__new__(ResultsScreen)
    screen.practice = PracticeAttempt.__new__(PracticeAttempt)
    screen.practice.scenario = scenario
    return screen


def test_full_marks_that_nothing_speaks_against_are_congratulated() -> None:
    screen = results_for(COLD_CALL)
    shown = plain(screen.feedback_text(Feedback(100.0, ["Call to action"], [])))
    assert CONGRATULATION in shown and "Check first" not in shown


async def test_each_disagreement_says_who_said_what(tmp_path: Path, poor_take: Path) -> None:
    app = make_app(tmp_path, poor_take)
    async with app.run_test(size=(100, 40)) as pilot:
        practice = finished_practice(app.services.store, "cold-call", poor_take, heard=POOR_WORDS)
        _full_marks(practice)
        await app.push_screen(ResultsScreen(practice))
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        shown = plain(app.screen.query_one("#disagreements", Static))
        assert "• Call to action — you rated yes, but the machine's checks speak against it: ✗" in shown
        assert "(you: " not in shown


def test_the_timing_verdict_and_hint_judge_the_same_length(tmp_path: Path, poor_take: Path) -> None:
    """13.4 s recorded but 11.9 s to the last word read "within target" above "✗ 11.9 s from the
    beep to your last word" (issue #17, seen in tmux): both now judge the message to its last word."""
    practice = finished_practice(make_app(tmp_path, poor_take).services.store, "cold-call", poor_take)
    attempt = practice.attempt
    assert attempt is not None and attempt.analysis is not None
    measured = dataclasses.replace(attempt.analysis.measurements, duration_s=13.4, trail_silence_s=1.5)
    take = dataclasses.replace(
        attempt, duration_s=13.4, analysis=dataclasses.replace(attempt.analysis, measurements=measured)
    )
    assert take.message_s == pytest.approx(11.9)
    nothing = Assessment(Rater(RaterKind.SELF, "Sam"), {c.id: 0 for c in practice.scenario.rubric.criteria})
    scored = score_assessment(practice.scenario.rubric, practice.scenario.targets, take, nothing)
    hint = duration_hint(practice.scenario, measured)  # target 12-30 s
    assert scored.timing_verdict is TimingVerdict.TOO_SHORT and hint.value is False


def test_a_doubt_is_shown_once_and_not_called_evidence_against() -> None:
    """Seen in tmux: "Three-part intro — you rated 2, but the machine's checks speak against it: ⚠
    “the again” at 3.4 s, where their name goes, …; ⚠ “the again” at 3.4 s, …": the first-words
    check repeats the name check's caution, and a ⚠ is doubt, not a check against the rating."""
    hints = hints_for("the? again sam patel clearline office solutions i can cut your printing costs")
    ratings = {c.id: c.scale.top for c in COLD_CALL.rubric.criteria}
    intro = next(d for d in disagreements(COLD_CALL, ratings, hints) if d.criterion_id == "three-part-intro")
    assert [sign for sign, _ in intro.evidence] == ["⚠"] and "where their name goes" in intro.evidence[0][1]
    assert what_the_machine_says(intro) == "the machine could not make it out for sure"
    action = next(d for d in disagreements(COLD_CALL, ratings, hints) if d.criterion_id == "call-to-action")
    assert what_the_machine_says(action) == "the machine's checks speak against it"


def test_a_caution_on_something_heard_is_evidence_not_doubt() -> None:
    """A number heard but rushed is ⚠ too: advice on what was heard, so it speaks against a top
    rating (a review: only a hint that could not judge is doubt)."""
    hints = hints_for("hi anne it's sam patel call me on zero one one six four nine six zero seven three two")
    ratings = {c.id: c.scale.top for c in COLD_CALL.rubric.criteria}
    number = next(d for d in disagreements(COLD_CALL, ratings, hints) if d.criterion_id == "number-slowly")
    assert [sign for sign, _ in number.evidence] == ["⚠"] and not number.unsure
    assert what_the_machine_says(number) == "the machine's checks speak against it"


def test_check_first_tells_doubt_from_evidence() -> None:
    """A criterion the machine only doubts is listed as not made out, not as "heard less" (a review:
    the line above the disagreements said one thing, the disagreement another)."""
    heard = (
        "the? again sam patel clearline office solutions "
        "call me on zero one one six four nine six zero seven three two"
    )
    ratings = {c.id: c.scale.top for c in COLD_CALL.rubric.criteria}
    assessment = Assessment(Rater(RaterKind.SELF, "Sam Patel"), ratings, rated_at=FIXED_START)
    feedback = feedback_for(
        COLD_CALL, ScoredAssessment(assessment, 100.0, TimingVerdict.WITHIN_TARGET), hints_for(heard)
    )
    assert "The machine could not make out for sure: Three-part intro" in feedback.check_first
    against = [
        line for line in feedback.check_first if line.startswith("The machine heard less than you rated on: ")
    ]
    assert against and "Number she can write down" in against[0] and "Three-part intro" not in against[0]
    assert "Three-part intro" not in feedback.strongest


def test_the_trend_says_how_the_latest_score_moved() -> None:
    """Walked in tmux: two equal scores read "(level 0 since last time)"."""
    assert str(trend_text([92.0])) == "Your first scored attempt at this scenario."
    assert str(trend_text([92.0, 92.2])) == "2 attempts: 92, 92 (the same as last time)"
    assert str(trend_text([80.0, 92.0])) == "2 attempts: 80, 92 (up 12 since last time)"
    assert str(trend_text([50, 60, 70, 80, 90, 95, 70.0])).endswith(
        "60, 70, 80, 90, 95, 70 (down 25 since last time)"
    )


def test_the_trend_bars_are_drawn_on_the_whole_scale() -> None:
    """Walked: the chart scaled from its lowest score, so 77 then 64 drew a full bar, then none."""
    assert str(trend_bars([77.0, 64.0])).startswith("▇ ▆  ")
    assert str(trend_bars([0.0, 100.0])).startswith("▁ █  ")
    assert str(trend_bars([10, 20, 30, 40, 50, 60, 100.0])).startswith("▂ ▃ ▄ ▄ ▅ █  ")


async def test_a_take_whose_words_were_lost_says_only_the_timing_was_checked(
    tmp_path: Path, spoken_take: Path
) -> None:
    """Walked: the words never came (a busy machine), the review silently dropped its word rows,
    and the results said "They agree on every criterion the machine can check"."""
    app = make_app(tmp_path, spoken_take)
    async with app.run_test(size=(80, 24)) as pilot:
        practice = finished_practice(app.services.store, "cold-call", spoken_take)
        assert practice.analysis is not None
        practice.analysis = dataclasses.replace(practice.analysis, transcript=None)
        practice.hints = machine_hints(practice.scenario, practice.analysis.measurements)
        _full_marks(practice)
        await app.push_screen(ResultsScreen(practice))
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        shown = plain(app.screen.query_one("#disagreements", Static))
        assert WORDS_LOST in shown and "They agree" not in shown
    review = measurements_text(practice.analysis.measurements, practice.analysis)
    assert WORDS_LOST in str(review)
    hint = str(hint_text(practice.scenario.rubric.criteria[0], practice.hints))
    assert "? their name, your name, your company, the first ten words: the words of this take" in hint


async def test_the_results_follow_a_reassessment_made_in_the_history(
    tmp_path: Path, spoken_take: Path
) -> None:
    """Walked: a take re-assessed from the history (77) still read 91 when Esc came back."""
    app = make_app(tmp_path, spoken_take)
    async with app.run_test(size=(80, 24)) as pilot:
        practice = finished_practice(app.services.store, "cold-call", spoken_take)
        _full_marks(practice)
        results = ResultsScreen(practice)
        await app.push_screen(results)
        await wait_for(pilot, lambda: app.screen is results)
        assert str(results.query_one("#score").render()).strip() != ""
        assert practice.audio_path is not None
        again = PracticeAttempt.from_record(
            app.services.store, practice.scenario, app.services.store.record_path(practice.audio_path)
        )
        lowest = {c.id: 0 for c in practice.scenario.rubric.criteria}
        again.assess(Assessment(Rater(RaterKind.SELF, "Sam Patel"), lowest, rated_at=FIXED_START))
        await app.push_screen(Screen())  # the history, say
        app.pop_screen()
        await wait_for(pilot, lambda: app.screen is results and results.scored.score == 0.0)
        await pilot.pause()
        assert results.query_one("#score", Digits).value == "0"


async def test_a_silent_take_rated_at_the_top_is_praised_for_nothing(
    tmp_path: Path, spoken_take: Path
) -> None:
    """Walked: a take with nothing said, rated at the top, scored 100 with "Strongest A reason
    that is about Anne, One idea, Light, friendly, professional, Nothing vague" and "5.5 s to your
    last word"; the intro's evidence said "✗ no speech was heard in the take" four times."""
    silence = tmp_path / "silence.wav"
    sf.write(silence, np.zeros(5 * 16000, np.float32), 16000)
    app = make_app(tmp_path, spoken_take)
    async with app.run_test(size=(80, 24)) as pilot:
        practice = finished_practice(app.services.store, "cold-call", silence, heard=Transcript(()))
        assert practice.silent
        _full_marks(practice)
        await app.push_screen(ResultsScreen(practice))
        await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
        feedback = plain(app.screen.query_one("#feedback", Static))
        assert SILENT_TAKE in feedback and "Strongest  none: there were no words to judge" in feedback
        assert "5.0 s the take, with nothing said" in str(app.screen.query_one("#verdict", Static).render())
    intro, *_, vague = practice.scenario.rubric.criteria
    shown = hint_text(intro, practice.hints).plain
    assert shown.count("no speech was heard") == 1 and "(their name, your name, your company" in shown
    assert "✓" not in hint_text(vague, practice.hints).plain  # nothing vague said, but nothing said


def test_full_marks_in_a_campaign_point_to_its_next_message(shipped_dir: Path) -> None:
    """Walked: "Try a harder scenario" after the second of a campaign's three messages."""
    library = load_library([shipped_dir])
    campaign = load_campaigns([shipped_dir], library.scenarios).get("friday-monday")
    screen = ResultsScreen.__new__(ResultsScreen)
    for step, advice in ((2, "Next, the campaign's message 3: n opens the campaign."),
                         (3, "That was the campaign's last message: try another campaign.")):  # fmt: skip
        screen.practice = PracticeAttempt.__new__(PracticeAttempt)
        screen.practice.scenario = campaign.step_scenario(step)
        assert f"Full marks on every criterion. {advice}" in plain(
            screen.feedback_text(Feedback(100.0, [], []))
        )
