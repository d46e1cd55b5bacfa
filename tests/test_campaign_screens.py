"""A campaign played as a trainee plays it (issue #19): the start screen, the timeline, each step
through the real practice flow with the file-backed microphone, a resume days later, the inbox and
the summary. No assertion here depends on the recogniser's words."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList, Static
from textual.widgets._footer import FooterKey

from simulator.attempts import Assessment, Rater, RaterKind
from simulator.audio.base import Clip
from simulator.campaign_inbox import inbox, joined
from simulator.campaign_loader import load_campaigns
from simulator.campaign_progress import progress
from simulator.cli import main
from simulator.drill import Drill
from simulator.drill_session import DrillSession
from simulator.locations import shipped_scenarios_dir
from simulator.records import load_record
from simulator.scenario_loader import load_library
from simulator.store import Store, list_attempts
from simulator.tui.screens.assess import AssessScreen
from simulator.tui.screens.brief import BriefScreen
from simulator.tui.screens.call import CallScreen
from simulator.tui.screens.campaign import CampaignScreen
from simulator.tui.screens.campaign_summary import CampaignSummaryScreen
from simulator.tui.screens.drill import DrillTurnScreen
from simulator.tui.screens.drill.reveal import RevealScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.inbox import InboxScreen
from simulator.tui.screens.results import ResultsScreen
from simulator.tui.screens.review import ReviewScreen
from simulator.tui.screens.start import CAMPAIGN_OPTION, StartScreen

from .app_support import CAMPAIGN_HEARD, campaign_practices, make_app, plain, wait_for

# friday-monday: step 1 (one idea + the four shared checks), step 2 (weekend idea + four), step 3 (four)
RATINGS = {1: "yy2yy", 2: "2y1yy", 3: "y2yy"}


def _text(widget: Static) -> str:
    return str(widget.render())


async def open_campaign(pilot, campaign_id: str) -> CampaignScreen:  # type: ignore[no-untyped-def]
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
    await pilot.press("enter")  # the remembered name: on to the list
    options = app.screen.query_one("#scenarios", OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    options.highlighted = ids.index(f"{CAMPAIGN_OPTION}{campaign_id}")
    await pilot.pause()
    assert "Campaign" in _text(app.screen.query_one("#preview", Static))
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, CampaignScreen) and app.screen.record is not None)
    return app.screen


async def leave_step(pilot, number: int, leave_with: str = "n", review_key: str = "a") -> None:  # type: ignore[no-untyped-def]
    app = pilot.app
    timeline = app.screen
    assert isinstance(timeline, CampaignScreen) and timeline.highlighted() == number
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, BriefScreen))
    assert app.screen.scenario.campaign.step == number
    assert "New since your last one" in app.screen.scenario.brief.history
    await pilot.press("ctrl+d")
    await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
    call = app.screen
    await wait_for(pilot, lambda: call.phase == "recording", timeout=40)
    await wait_for(pilot, lambda: call.recorder is not None and call.recorder.elapsed_s > 3.0, timeout=40)
    await pilot.press("space")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), timeout=40)
    await pilot.pause()
    said = {key.description for key in app.screen.query(FooterKey)}
    assert "Campaign" in said and "Scenarios" not in said  # walked: Esc left the campaign
    if review_key == "escape":  # the take kept unassessed: back on the timeline
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CampaignScreen), timeout=20)
        assert app.screen.record.done == number  # the message is left, its score to come ("-")
        return
    await pilot.press(review_key)
    await wait_for(pilot, lambda: isinstance(app.screen, AssessScreen))
    await pilot.press(*RATINGS[number], "ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, ResultsScreen))
    await pilot.pause()
    said = {key.description for key in app.screen.query(FooterKey)}
    assert "The campaign" in said and "Next scenario" not in said
    await pilot.press(leave_with)  # a campaign's step: n, or Esc, goes back to its timeline
    await wait_for(
        pilot, lambda: isinstance(app.screen, CampaignScreen) and app.screen.record.done == number, timeout=20
    )


async def test_esc_on_a_steps_review_goes_back_to_the_campaign(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take, trainee="Alex Grant")
    async with app.run_test(size=(100, 32)) as pilot:
        timeline = await open_campaign(pilot, "friday-monday")
        await leave_step(pilot, 1, review_key="escape")
        assert app.screen is timeline
        steps = timeline.query_one("#steps", DataTable)
        assert [str(cell) for cell in steps.get_row_at(0)[3:5]] == ["✓ done", "-"]  # not assessed yet


async def test_a_campaign_is_played_left_resumed_and_heard_in_order(
    tmp_path: Path, spoken_take: Path
) -> None:
    first = make_app(tmp_path, spoken_take, trainee="Alex Grant")
    async with first.run_test(size=(100, 32)) as pilot:
        timeline = await open_campaign(pilot, "friday-monday")
        assert timeline.highlighted() == 1 and "not started" in _text(timeline.query_one("#campaign-head"))
        await leave_step(pilot, 1)
        assert timeline.highlighted() == 2  # moved on to the next step
    # days later, on the same workstation: the campaign opens at step 2
    second = make_app(tmp_path, spoken_take, trainee="Alex Grant")
    async with second.run_test(size=(100, 32)) as pilot:
        timeline = await open_campaign(pilot, "friday-monday")
        assert "step 2 of 3" in _text(timeline.query_one("#campaign-head"))
        await leave_step(pilot, 2, leave_with="escape")
        await leave_step(pilot, 3)
        assert timeline.record.next_step is None
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(second.screen, InboxScreen))
        inbox = second.screen
        assert inbox.query_one("#messages", DataTable).row_count == 3
        await pilot.press("a")
        await wait_for(pilot, lambda: inbox.sequence is not None and inbox.player is not None)
        assert [step for _, step in inbox.sequence.starts] == [1, 2, 3]
        await wait_for(pilot, lambda: "message 1" in _text(inbox.query_one("#inbox-playing")))
        await pilot.press("escape", "s")
        await wait_for(pilot, lambda: isinstance(second.screen, CampaignSummaryScreen))
        summary = plain(second.screen.query_one("#campaign-summary", Static))
        assert "3 of 3 steps done" in summary and "Days between messages" in summary
        assert "of its content words were in message 1" in summary

    attempts = sorted(list_attempts([second.services.store]).attempts, key=lambda a: a.started_at)
    assert [(a.campaign_id, a.campaign_step) for a in attempts] == [("friday-monday", n) for n in (1, 2, 3)]
    assert [a.scenario_id for a in attempts] == ["friday-monday.1", "friday-monday.2", "friday-monday.3"]
    heard = [a.analysis.hints for a in attempts if a.analysis and a.analysis.transcript]
    assert heard and all({"stands_alone", "something_new", "says_when", "contact"} <= set(h) for h in heard)
    if attempts[1].analysis and attempts[1].analysis.transcript:
        # the same take left twice: the repetition check catches it, whatever words were heard
        assert attempts[1].analysis.hints["something_new"].value is False


def test_a_step_drilled_compares_each_trainee_with_their_own_earlier_step(
    tmp_path: Path, spoken_take: Path
) -> None:
    store = Store(tmp_path / "data")
    campaigns = load_campaigns([shipped_scenarios_dir()], load_library([shipped_scenarios_dir()]).scenarios)
    campaign = campaigns.get("friday-monday")
    campaign_practices(store, spoken_take, campaign, trainee="Asha", heard=CAMPAIGN_HEARD[:1])
    drill = Drill.plan(["Asha", "Ben"], ["friday-monday.2"], 1)
    session = DrillSession(drill, store, load_library([shipped_scenarios_dir()]), campaigns)
    asha, ben = drill.turns
    scenario = session.scenario_for(asha)
    assert scenario.campaign is not None and scenario.campaign.step == 2
    assert [m.words is not None for m in scenario.campaign.earlier] == [True]  # Asha's own step 1
    assert session.scenario_for(ben).campaign.earlier == ()  # Ben left no step 1: nothing to compare
    assert session.earlier_take(asha) is not None and session.earlier_take(asha).is_file()
    assert session.earlier_take(ben) is None
    assert session.library.get("friday-monday.2").rubric.ids[-4:] == tuple(c.id for c in campaign.shared)


def test_an_inbox_whose_audio_is_gone_still_opens(tmp_path: Path, spoken_take: Path) -> None:
    store = Store(tmp_path / "data")
    campaigns = load_campaigns([shipped_scenarios_dir()], load_library([shipped_scenarios_dir()]).scenarios)
    campaign = campaigns.get("friday-monday")
    first, _ = campaign_practices(store, spoken_take, campaign)
    first.audio_path.unlink()
    listing = list_attempts([store])
    record = progress(campaign, listing.attempts, "Alex Grant")
    messages = inbox(record, listing.paths)
    assert [m.left for m in messages] == [True, True, False]
    sequence = joined(messages, Clip.load)
    assert sequence.missing == (1,) and [step for _, step in sequence.starts] == [2]
    assert record.earlier(3)[0].words is not None  # its words are in the record: still compared


def test_exports_and_reports_carry_the_campaign(
    tmp_path: Path, spoken_take: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(tmp_path / "data")
    campaigns = load_campaigns([shipped_scenarios_dir()], load_library([shipped_scenarios_dir()]).scenarios)
    campaign_practices(store, spoken_take, campaigns.get("friday-monday"))
    data = str(tmp_path / "data")
    assert main(["export", "--format", "csv", "--campaign", "friday-monday", data]) == 0
    header, *rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    at = header.index("campaign")
    assert header[at : at + 2] == ["campaign", "campaign_step"] and "Stands alone" in header
    assert [row[at : at + 2] for row in rows] == [["friday-monday", "1"], ["friday-monday", "2"]]
    assert main(["export", "--format", "toml", data]) == 0
    exported = tomllib.loads(capsys.readouterr().out)
    assert [a["campaign"]["step"] for a in exported["attempt"]] == [1, 2]
    assert main(["report", data]) == 0
    report = capsys.readouterr().out
    line = next(row for row in report.splitlines() if "friday-monday" in row and "of 3" in row)
    assert "2 of 3" in line and "1 of 1" in line  # step 2 repeated step 1
    assert main(["report", data, "--html", str(tmp_path / "class.html")]) == 0
    assert '<h2 id="campaigns">' in (tmp_path / "class.html").read_text()


async def test_t_picks_the_take_that_counts(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take, trainee="Alex Grant")
    campaign = app.services.campaigns.get("friday-monday")
    store, once = app.services.store, CAMPAIGN_HEARD[:1]
    (first,) = campaign_practices(store, spoken_take, campaign, heard=once)
    (retake,) = campaign_practices(store, spoken_take, campaign, heard=once, first_id=9)  # step 1 again
    async with app.run_test(size=(80, 24)) as pilot:
        screen = CampaignScreen(campaign)
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.record is not None)
        step = screen.record.steps[0]
        assert [t.id for t in step.takes] == [first.id, retake.id] and step.counted.id == retake.id
        screen.query_one("#steps", DataTable).move_cursor(row=0)
        await pilot.pause()
        await pilot.press("t")
        await wait_for(pilot, lambda: screen.record.steps[0].counted.id == first.id)
        assert "take 1: Mon 23 Nov 10:30 · 60  ← counts" in _text(screen.query_one("#step-detail"))
    assert load_record(Store(tmp_path / "data").record_path(first.audio_path)).chosen_at is not None


async def test_a_campaign_step_in_a_drill_plays_their_last_message_and_reveals_the_checks(
    tmp_path: Path, spoken_take: Path
) -> None:
    app = make_app(tmp_path, spoken_take)
    campaign = app.services.campaigns.get("friday-monday")
    _, step_two = campaign_practices(app.services.store, spoken_take, campaign, trainee="Asha")
    step_two.assess(
        Assessment(Rater(RaterKind.INSTRUCTOR, "Ms Hall"), dict.fromkeys(step_two.scenario.rubric.ids, 1))
    )
    drill = Drill.plan(["Asha"], ["friday-monday.2"], 1)
    session = DrillSession(drill, app.services.store, app.services.library, app.services.campaigns)
    async with app.run_test(size=(80, 24)) as pilot:
        turn = DrillTurnScreen(session)
        await app.push_screen(turn)
        await wait_for(pilot, lambda: turn.is_mounted)
        assert "campaign · message 2 of 3" in _text(turn.query_one("#turn-brief"))
        await pilot.press("l")
        await wait_for(pilot, lambda: turn.player is not None)
        drill.record(step_two.id)
        turn.refresh_bindings()
        await pilot.pause()
        # walked: at 80 columns the footer lost "Score the take" and "Pause drill" off its end
        shown = {key.key: key.region for key in turn.query(FooterKey)}
        assert {"ctrl+d", "c", "l", "o", "s", "e", "x", "escape"} <= set(shown)
        assert all(region.width and region.right <= 80 for region in shown.values()), shown
        attempt = next(a for a in list_attempts([app.services.store]).attempts if a.id == step_two.id)
        reveal = RevealScreen(session, attempt, step_two)
        await app.push_screen(reveal)
        await wait_for(pilot, lambda: reveal.query_one("#reveal-table", DataTable).row_count > 0)
        rows = reveal.query_one("#reveal-table", DataTable)
        cells = {str(rows.get_row_at(i)[0]): str(rows.get_row_at(i)[4]) for i in range(rows.row_count)}
        assert cells["Something new"] == "✗"  # step 2 repeats Asha's own step 1
        await app.pop_screen()
        playing = turn.player
        assert playing is not None
        await app.pop_screen()  # the drill paused: the last message stops with its screen
        await pilot.pause()
        assert not playing.playing


def two_steps_left(tmp_path: Path, spoken_take: Path, trainee: str):  # type: ignore[no-untyped-def]
    """An app whose trainee has left friday-monday's first two steps, and that campaign."""
    app = make_app(tmp_path, spoken_take, trainee=trainee)
    campaign = app.services.campaigns.get("friday-monday")
    campaign_practices(app.services.store, spoken_take, campaign, trainee=trainee)
    return app, campaign


async def open_timeline(pilot, campaign) -> CampaignScreen:  # type: ignore[no-untyped-def]
    screen = CampaignScreen(campaign)
    await pilot.app.push_screen(screen)
    await wait_for(pilot, lambda: screen.record is not None and screen.record.done == 2)
    return screen


async def test_a_trainee_name_with_brackets_opens_the_inbox(tmp_path: Path, spoken_take: Path) -> None:
    app, campaign = two_steps_left(tmp_path, spoken_take, "Sam [/]")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_timeline(pilot, campaign)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, InboxScreen))
        assert "2 messages from Sam [/]" in _text(app.screen.query_one("#inbox-head"))


async def test_the_timeline_and_history_follow_a_wider_terminal(tmp_path: Path, spoken_take: Path) -> None:
    """Walked: made 120 columns wide, the timeline still read "Monday: over the weekend I reali…"
    and the history "Friday, Monday, Wednes…", cut as they were at 80."""
    app, campaign = two_steps_left(tmp_path, spoken_take, "Sam Patel")
    async with app.run_test(size=(60, 24)) as pilot:
        screen = await open_timeline(pilot, campaign)
        table = screen.query_one("#steps", DataTable)
        table.move_cursor(row=1)
        narrow = str(table.get_row_at(1)[2])
        assert narrow.endswith("…"), narrow
        await pilot.resize_terminal(120, 40)
        await pilot.pause(0.2)
        assert str(table.get_row_at(1)[2]) == campaign.step(2).title and table.cursor_row == 1
        await app.push_screen(HistoryScreen())
        history = app.screen
        await wait_for(pilot, lambda: len(history.rows) == 2)
        await pilot.pause()
        detail = plain(history.query_one("#attempt-detail", Static))
        assert "of its content words were in message 1" in detail and "your next call is" in detail
        await pilot.press("p")
        await wait_for(pilot, lambda: history.player is not None and history.player.playing)
        await pilot.resize_terminal(60, 24)
        await pilot.pause(0.2)
        cut = history.query_one("#attempts", DataTable).get_row_at(0)[1]
        assert str(cut).endswith("…") and len(str(cut)) <= history.title_width
        assert history.player is not None and history.player.playing  # found by a review: it stopped
