"""The practice screens as a trainee meets them (issue #17): typed notes go where they are typed,
and what the take is assessed on is in view at 80×24."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from textual.widgets import DataTable, Input, OptionList, Static, TextArea
from textual.widgets._footer import FooterKey

from simulator.attempts import Rater, RaterKind
from simulator.locations import shipped_scenarios_dir
from simulator.records import load_record
from simulator.scenario_loader import load_library
from simulator.tui.messages import WordsHeard
from simulator.tui.screens.assess import AssessScreen
from simulator.tui.screens.brief import BriefScreen
from simulator.tui.screens.dialogs import ConfirmScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.review import ReviewScreen
from simulator.tui.screens.start import StartScreen
from simulator.tui.widgets.meters import LevelMeter, WindowRuler

from .app_support import finished_practice, make_app, plain, wait_for
from .test_export_report import save, scored

RATINGS = ["2", "1", "y", "n", "y", "2", "y", "1", "y"]  # the cold call's nine criteria


async def test_the_brief_takes_notes_with_the_rubric_in_view(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take, trainee="Sam Patel")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, BriefScreen))
        await pilot.press(*"name first")
        assert app.screen.query_one("#notes", TextArea).text == "name first"
        checklist = app.screen.query_one("#checklist")
        shown = str(app.screen.query_one("#checklist-text").render())
        assert all(c.label in shown for c in app.screen.scenario.rubric.criteria)
        assert checklist.region.bottom <= 24 - 9  # above the notes box, nothing to scroll to
        assert checklist.max_scroll_y == 0
        brief = app.screen.query_one("#brief")
        assert brief.max_scroll_y > 0 and brief.scroll_y == 0  # "The call" is below the fold at 80x24
        await pilot.press("pagedown")  # walked: only two Tabs reached it, and nothing said so
        await pilot.pause()
        assert brief.scroll_y > 0 and app.screen.query_one("#notes", TextArea).has_focus
        assert app.screen.query_one("#notes", TextArea).text == "name first"
        await pilot.press("tab", *" then")  # walked: typed after a Tab, the words were lost
        await pilot.pause()
        notes = app.screen.query_one("#notes", TextArea)
        assert notes.has_focus and notes.text == "name first then"


async def _assessing(app, spoken_take: Path, rater: Rater | None = None):  # type: ignore[no-untyped-def]
    practice = finished_practice(app.services.store, "cold-call", spoken_take)
    screen = AssessScreen(practice, rater)
    await app.push_screen(screen)
    return screen


async def test_rating_keys_rate_only_in_the_criteria_list(tmp_path: Path, spoken_take: Path) -> None:
    """Typing the note "Say the number slower, twice" beside the criteria changed "Nothing vague"
    from yes to no (issue #17): rating keys now act in the criteria list only."""
    app = make_app(tmp_path, spoken_take)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _assessing(app, spoken_take)
        await wait_for(pilot, lambda: screen.query_one("#criteria").has_focus)
        box, first = screen.query_one("#criterion-box"), screen.current()
        assert box.max_scroll_y > 0 and box.scroll_y == 0  # at 80x24 the machine's checks are below
        await pilot.press("pagedown")
        await pilot.pause()
        assert box.scroll_y > 0 and screen.current() is first
        await pilot.press(*RATINGS)
        rated = dict(screen.ratings)
        assert len(rated) == len(screen.criteria)
        help_line = screen.query_one("#rate-help", Static)
        assert "All rated. Ctrl+S saves your assessment." in str(help_line.render())
        assert help_line.size.height >= 2  # wrapped in the 34-column list, not cut ("…saves your ass")
        assert not [n.message for n in app._notifications if "rated" in n.message]  # not a toast
        for note in ("#criterion-note", "#overall-note"):  # the focus chain's other stops
            await pilot.press("tab")
            assert app.focused is not None and app.focused.id == note.lstrip("#")  # no dead stop between
            await pilot.press(*"yes no 2 1 0 y n")
            assert screen.ratings == rated, app.focused
        await pilot.press("pagedown")  # the guidance and hints scroll from the notes too
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "criteria"


async def test_a_key_that_does_not_fit_the_scale_says_why(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _assessing(app, spoken_take)
        await wait_for(pilot, lambda: screen.query_one("#criteria").has_focus)
        await pilot.press("2", "y")  # the intro is rated 0-2; "y" does not fit it
        shown = str(screen.query_one("#rate-help", Static).render())
        assert "is rated 0, 1 or 2, not y" in shown and screen.query_one("#rate-help").has_class("warning")


async def test_the_instructor_assesses_the_trainee_by_name(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _assessing(app, spoken_take, Rater(RaterKind.INSTRUCTOR, "instructor"))
        await wait_for(pilot, lambda: screen.is_mounted)
        assert screen.sub_title.startswith("Instructor's assessment of Sam Patel: ")
        assert str(screen.query_one("#criterion").render()).startswith("As Sam Patel was asked:")


async def test_the_start_screen_says_how_to_go_on_and_to_quit(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        await pilot.pause()
        help_text = app.screen.query_one("#start-help")
        shown = str(help_text.render())
        assert "Enter to pick a scenario" in shown and "Ctrl+Q quits" in shown
        assert help_text.size.height >= 2  # wrapped at 80 columns, not cut ("...pick a scenar")
        await pilot.press("enter")  # the name: on to the list
        await pilot.pause()
        said = [key.description for key in app.screen.query(FooterKey)]
        assert app.screen.query_one("#scenarios").has_focus and "Open" in said, said
        assert said.count("Open") == 1 and "Read the brief" not in said


async def test_the_review_plays_the_take_back_at_once(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take, play_back=True)
    async with app.run_test(size=(80, 24)) as pilot:
        review = ReviewScreen(finished_practice(app.services.store, "cold-call", spoken_take))
        await app.push_screen(review)
        await wait_for(pilot, lambda: review.player is not None and review.player.position_s > 0.2)
        assert review.player is not None and review.player.playing


async def test_the_review_plays_the_take_as_the_prospect_hears_it_and_back(
    tmp_path: Path, spoken_take: Path
) -> None:
    """Issue #18: h switches to the take over the phone line (8 kHz, the telephone band) at the same
    place, still playing; h again switches back to the take as recorded."""
    app = make_app(tmp_path, spoken_take, play_back=True)
    async with app.run_test(size=(80, 24)) as pilot:
        review = ReviewScreen(finished_practice(app.services.store, "cold-call", spoken_take))
        await app.push_screen(review)
        await wait_for(pilot, lambda: review.player is not None and review.player.position_s > 0.5)
        assert review.player is not None and review.takes is not None
        recorded, heard = review.takes
        assert review.line.value == "landline"  # the cold call's own line
        assert len(heard.samples) == len(recorded.samples) and not np.allclose(
            heard.samples, recorded.samples
        )
        before = review.player.position_s
        await pilot.press("h")
        assert review.player.playing and review.player.position_s >= before - 0.05
        assert review.player.clip is heard
        await pilot.pause(0.2)
        assert "as Anne hears it (landline): h for yours" in str(review.query_one("#position").render())
        shown = {key for key, active in review.active_bindings.items() if active.binding.show}
        assert "h" in shown  # in the footer
        await pilot.press("h")
        assert review.player.clip is recorded and review.player.playing
        await pilot.pause(0.2)
        assert "hears it" not in str(review.query_one("#position").render())
        assert "← → 2 s" in str(review.query_one("#position").render())


async def test_the_review_shows_the_message_as_the_prospects_phone_does(
    tmp_path: Path, spoken_take: Path
) -> None:
    """Issue #18: once the words are heard, a worker hears the take over the line and the card
    shows who it is from, its length and its first words; v shows the whole message."""
    app = make_app(tmp_path, spoken_take)
    async with app.run_test(size=(80, 24)) as pilot:
        review = ReviewScreen(finished_practice(app.services.store, "cold-call", spoken_take))
        await app.push_screen(review)
        card = review.query_one("#phone-preview", Static)
        await wait_for(pilot, lambda: review.practice.preview is not None)
        await pilot.pause(0.1)
        shown = str(card.render())
        attempt = review.practice.attempt
        assert attempt is not None and round(attempt.duration_s) != round(attempt.message_s)
        seconds = round(attempt.message_s)  # walked: 0:20 on the card, 0:18 in the campaign inbox
        assert shown.startswith(f"Voicemail from 0116 496 0732 · 0:{seconds:02d}\n")
        assert "Hi Anne it's Sam Patel" in shown and shown.rstrip().endswith("costs…\u201d")
        assert card.border_title == "Anne's phone: its own transcript" and card.display
        await pilot.press("v")
        assert "by about a third" in str(card.render()) and card.border_subtitle == "v: first words"


async def test_the_phones_preview_waits_for_the_takes_last_words(tmp_path: Path, spoken_take: Path) -> None:
    """While the last words are still being heard the card says so and nothing is heard over the
    line (two recognisers at once would stall each other); the words coming in start it."""
    app = make_app(tmp_path, spoken_take)
    async with app.run_test(size=(80, 24)) as pilot:
        practice = finished_practice(app.services.store, "cold-call", spoken_take)
        practice.hearing = True
        review = ReviewScreen(practice)
        await app.push_screen(review)
        await pilot.pause(0.3)
        card = review.query_one("#phone-preview", Static)
        assert str(card.render()) == "Hearing it as their phone does…" and practice.preview is None
        practice.hearing = False
        review.post_message(WordsHeard(practice))
        await wait_for(pilot, lambda: practice.preview is not None)
        await pilot.pause(0.1)
        assert str(card.render()).startswith("Voicemail from 0116 496 0732")


def test_a_take_shorter_than_the_window_says_where_the_window_starts() -> None:
    scenario = load_library([shipped_scenarios_dir()]).get("cold-call")  # target 12-30 s
    ruler = WindowRuler(scenario.targets, 4.3)
    shown = ruler.line(80).plain
    assert shown.endswith("▶ the window starts at 12 s: the take ended at 4.3 s")
    assert "━" in WindowRuler(scenario.targets, 20.0).line(80).plain  # the window drawn


def test_the_level_meter_falls_back_slowly_and_holds_its_peak() -> None:
    """Walked: the meter read "-∞ dB" mid-sentence, for one 50 ms block of silence between words."""
    meter = LevelMeter()
    meter.follow(-20.0, -6.0, at_s=1.0)
    meter.follow(-120.0, -120.0, at_s=1.05)  # the gap between two words
    assert meter.rms_dbfs == pytest.approx(-20.6) and meter.peak_dbfs == -6.0
    meter.follow(-120.0, -120.0, at_s=3.0)
    assert meter.rms_dbfs == pytest.approx(-44.0)
    assert meter.peak_dbfs == pytest.approx(-29.4)  # held, then falling
    meter.follow(-30.0, -10.0, at_s=3.05)
    assert (meter.rms_dbfs, meter.peak_dbfs) == (-30.0, -10.0)  # speech again: shown at once
    meter.follow(-120.0, -120.0, at_s=20.0)
    assert "-∞ dB" in meter.render().plain  # a dead microphone still reads as one


async def test_history_reads_like_the_results_and_assesses(tmp_path: Path, spoken_take: Path) -> None:
    """Labels and yes/no, not "three-part-intro: 2 … one-idea: 1"; the measurements and the words;
    a playing indicator; the detail scrolls at 80×24; an unassessed take can be assessed (issue #17)."""
    app = make_app(tmp_path, spoken_take, trainee="Sam Patel")
    async with app.run_test(size=(80, 24)) as pilot:
        finished_practice(app.services.store, "cold-call", spoken_take)  # not assessed
        screen = HistoryScreen()
        await app.push_screen(screen)
        table = screen.query_one("#attempts", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        await pilot.pause()
        detail = plain(screen.query_one("#attempt-detail", Static))
        assert "Not assessed yet: a assesses it." in detail and "Silence before speaking" in detail
        assert "What the machine heard" in detail
        assert "The machine's checks" in detail and "✓ about " in detail
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, AssessScreen))
        await pilot.press(*RATINGS, "ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen and "self (Sam Patel)" in plain(
            screen.query_one("#attempt-detail", Static)))  # fmt: skip
        detail = plain(screen.query_one("#attempt-detail", Static))
        assert "Three-part intro: 2" in detail and "One idea: yes" in detail
        assert "three-part-intro" not in detail
        box = screen.query_one("#attempt-detail-box")
        assert box.max_scroll_y > 0  # more than fits at 80×24: it scrolls
        await pilot.press("pagedown")  # walked: it moved the list; only a Tab reached the detail
        await pilot.pause()
        assert box.scroll_y > 0 and table.has_focus
        await pilot.press("p")
        await wait_for(pilot, lambda: "▶ playing" in str(screen.query_one("#playback", Static).render()))


async def test_ratings_left_part_way_or_saved_come_back(tmp_path: Path, spoken_take: Path) -> None:
    """Walked: Esc part-way threw eight ratings away, and a saved assessment opened again was
    blank, so changing one rating meant entering all nine (and a peer's second save replaced
    the first unannounced)."""
    app = make_app(tmp_path, spoken_take)
    async with app.run_test(size=(80, 24)) as pilot:
        practice = finished_practice(app.services.store, "cold-call", spoken_take)
        peer = Rater(RaterKind.PEER, "Zoë O'Brien")
        first = AssessScreen(practice, peer)
        await app.push_screen(first)
        await wait_for(pilot, lambda: first.query_one("#criteria").has_focus)
        await pilot.press(*RATINGS[:8])
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not first)
        again = AssessScreen(practice, peer)
        await app.push_screen(again)
        await wait_for(pilot, lambda: again.query_one("#criteria").has_focus)
        assert len(again.ratings) == 8 and "as you left them" in str(again.query_one("#rate-help").render())
        assert again.current().id == "not-vague"  # the one still to rate
        assert AssessScreen(practice).ratings == {}  # only this rater's
        await pilot.press("y", "ctrl+s")
        await wait_for(pilot, lambda: app.screen is not again)
        assert practice.drafts == {} and practice.saved_by(peer) is not None
        third = AssessScreen(practice, peer)
        await app.push_screen(third)
        await wait_for(pilot, lambda: third.query_one("#criteria").has_focus)
        assert third.ratings == dict(practice.saved_by(peer).ratings)  # type: ignore[union-attr]
        told = str(third.query_one("#rate-help").render())
        assert "Zoë O'Brien assessed this take before: Ctrl+S replaces it." in told
        assert third.query_one("#overall-note").placeholder.startswith("Overall notes for Sam Patel")


async def test_a_reassessment_from_the_history_asks_before_dropping_a_change(
    tmp_path: Path, spoken_take: Path
) -> None:
    """Walked: in the history, the second take re-assessed and left with Esc lost its change
    unasked, and the cursor jumped back to the newest take, so the next a assessed another."""
    app = make_app(tmp_path, spoken_take, trainee="Sam Patel")
    store = app.services.store
    high = [2, 2, 1, 1, 1, 2, 1, 2, 1]
    for n in range(3):
        save(store, n, "Sam Patel", n, scored(RaterKind.SELF, high, 100.0, "Sam Patel"))
    async with app.run_test(size=(80, 24)) as pilot:
        history = HistoryScreen()
        await app.push_screen(history)
        await wait_for(pilot, lambda: len(history.rows) == 3)
        history.query_one("#attempts", DataTable).move_cursor(row=1)
        await pilot.pause()
        chosen = history.selected()
        assert chosen is not None
        for answer in ("n", "y"):
            await pilot.press("a")
            await wait_for(pilot, lambda: isinstance(app.screen, AssessScreen))
            await pilot.press("0", "escape")  # the intro, 2 before: changed
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            assert "changed the saved ratings" in str(app.screen.query_one(".dialog-text").render())
            await pilot.press(answer)
            await wait_for(pilot, lambda: app.screen is history)
            await pilot.pause()
            selected = history.selected()
            assert selected is not None and selected.id == chosen.id
        record = load_record(store.record_path(history.paths[chosen.id].with_name(chosen.audio_file)))
        assert record.by(RaterKind.SELF)[-1].assessment.ratings["three-part-intro"] == 0


async def test_the_start_list_follows_the_name_as_it_is_typed(tmp_path: Path, spoken_take: Path) -> None:
    """Walked: after the name was changed, the list still showed the last trainee's tries and best
    score, and the campaigns their progress, until another screen was opened and closed."""
    app = make_app(tmp_path, spoken_take)
    finished_practice(app.services.store, "cold-call", spoken_take, trainee="Asha Khan")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen) and bool(app.screen.attempts))
        start = app.screen
        options = start.query_one("#scenarios", OptionList)

        def cold_call_row() -> str:
            return str(options.get_option("cold-call").prompt)

        name = start.query_one("#trainee", Input)
        name.value = "Asha Khan"
        await wait_for(pilot, lambda: "tried 1×" in cold_call_row())
        name.value = "Sam Patel"
        await wait_for(pilot, lambda: "not tried yet" in cold_call_row())
        name.value = "Asha  Khan"  # spaces as the campaign screens match names
        await wait_for(pilot, lambda: "tried 1×" in cold_call_row())
