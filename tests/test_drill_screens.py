"""The drill's screens say what happened (issue #17): a skipped trainee is "skipped", not ranked; the
export command shown works as shown; the countdown ends in words, not a garbled digit; the prep
time has a sensible default."""

from __future__ import annotations

import shlex
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Digits, Static
from textual.widgets._footer import FooterKey

from simulator.cli import main
from simulator.drill import DEFAULT_PREP_S, Drill
from simulator.drill_results import leaderboard
from simulator.drill_session import SET_ASIDE, DrillSession
from simulator.tui.screens.dialogs import ConfirmScreen
from simulator.tui.screens.drill.setup import DrillSetupScreen
from simulator.tui.screens.drill.summary import DrillSummaryScreen
from simulator.tui.screens.drill.take import DrillTakeScreen
from simulator.tui.screens.drill.turn import DrillTurnScreen
from simulator.tui.screens.start import StartScreen
from simulator.tui.startup import DrillResumeStart
from simulator.tui.widgets.ticks import TickBox, TickList

from .app_support import finished_practice, make_app, presenter_view, wait_for


async def test_a_skipped_trainee_is_said_to_be_skipped_and_the_export_command_works(
    tmp_path: Path, spoken_take: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app(tmp_path, spoken_take)
    drill = Drill.plan(["Asha Rao", "Ben Okoro"], ["cold-call"], 1)
    drill.skip()
    drill.skip()
    async with app.run_test(size=(100, 30)) as pilot:
        session = DrillSession(drill, app.services.store, app.services.library)
        assert session.save()  # as the drill screens save it, step by step
        await app.push_screen(DrillSummaryScreen(session))
        table = app.screen.query_one("#leaderboard", DataTable)
        await wait_for(pilot, lambda: table.row_count == 2)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(2)]
        assert rows == [["", "Asha Rao", "skipped", "", ""], ["", "Ben Okoro", "skipped", "", ""]]
        await pilot.press("p")  # walked: nothing said whose take p plays, or that there is none
        assert "Asha Rao has no take to play." in [n.message for n in app._notifications]
        shown = str(app.screen.query_one("#calibration", Static).render())
    command = shown.split("Export: ", 1)[1].strip()
    assert command.startswith("voicemail-sim export ") and str(tmp_path / "data") in command
    assert main(shlex.split(command)[1:]) == 0  # as shown, from any folder


async def test_the_countdown_ends_in_words(tmp_path: Path, spoken_take: Path) -> None:
    assert Drill.plan(["Asha"], ["cold-call"], 1).prep_seconds == DEFAULT_PREP_S == 30
    app = make_app(tmp_path, spoken_take)
    drill = Drill.plan(["Asha Rao"], ["cold-call"], 1, prep_seconds=2)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await presenter_view(app, pilot, drill)
        screen.action_countdown()
        screen.tick()
        screen.tick()
        await pilot.pause()
        assert str(screen.query_one("#prep-timer", Digits).value) == "0"
        assert "Time's up: Ctrl+D dials" in str(screen.query_one("#prep-done", Static).render())


async def test_ending_the_drill_asks_first(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take)
    drill = Drill.plan(["Asha Rao", "Ben Okoro"], ["cold-call"], 1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await presenter_view(app, pilot, drill)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "2 turns not taken yet will be skipped" in app.screen.question
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen)
        assert not drill.finished
        await pilot.press("s")  # Asha: not the last turn, skipped at once
        assert drill.current is not None and drill.current.trainee == "Ben Okoro"
        await pilot.press("s")  # Ben is the last: asked first
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.screen.question.startswith("Skip Ben Okoro? This is the last turn")
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, DrillSummaryScreen))
        await pilot.press("escape")  # Done: the summary still hears its keys
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))


async def test_ending_a_round_asks_first(tmp_path: Path, spoken_take: Path) -> None:
    """Walked: e on the presenter view ended a one-round drill at once and called the whole class
    "skipped", where x and skipping the last turn ask first."""
    app = make_app(tmp_path, spoken_take)
    drill = Drill.plan(["Asha Rao", "Ben Okoro"], ["cold-call"], 2)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await presenter_view(app, pilot, drill)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.screen.question == (
            "End round 1? 2 turns not taken yet in it will be skipped (Asha Rao is up), and round 2 starts."
        )
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen)
        assert drill.current is not None and (drill.current.trainee, drill.current.round) == ("Asha Rao", 1)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(
            pilot, lambda: app.screen is screen and drill.current is not None and drill.current.round == 2
        )
        await pilot.press("e")  # the last round: the summary is next
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.screen.question.endswith("and the drill ends and its summary opens.")


async def test_a_paused_drill_is_resumed_as_the_pause_says(tmp_path: Path, spoken_take: Path) -> None:
    """Walked: "d on the start screen" typed a "d" into the name box, which has the focus there."""
    app = make_app(tmp_path, spoken_take)
    drill = Drill.plan(["Asha Rao", "Ben Okoro"], ["cold-call"], 1)
    async with app.run_test(size=(100, 30)) as pilot:
        await presenter_view(app, pilot, drill)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        said = [n.message for n in app._notifications if n.message.startswith("Drill paused")]
        assert said and "Tab to them from the name box" in said[0]
        app.screen.query_one("#trainee").focus()  # as a start screen first shown after a drill has it
        await pilot.press("tab", "d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))  # the offer to resume it
        assert "is paused after 0 of 2 turns (Asha Rao, Ben Okoro)" in app.screen.question


async def test_the_summary_of_a_drill_ended_early_hears_its_keys(tmp_path: Path, spoken_take: Path) -> None:
    """Walked: x, then "End drill", opened the summary twice over (once as the dialog went, once
    after it), and the app then heard no key at all, not even Ctrl+Q."""
    app = make_app(tmp_path, spoken_take)
    drill = Drill.plan(["Cara"], ["cold-call"], 1)
    async with app.run_test(size=(100, 30)) as pilot:
        await presenter_view(app, pilot, drill)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, DrillSummaryScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        assert not any(isinstance(s, DrillSummaryScreen) for s in app.screen_stack)


def test_ending_the_drill_skips_the_turns_not_taken() -> None:
    """The dialog says turns not taken will be skipped: the summary then says "skipped", not
    "not scored" (seen in tmux)."""
    drill = Drill.plan(["Asha Rao", "Ben Okoro"], ["cold-call"], 1)
    drill.end()
    assert [t.status.value for t in drill.turns] == ["skipped", "skipped"]
    assert all(s.skipped for s in leaderboard(drill, {}))


async def test_the_drill_take_shows_what_was_heard_and_every_key(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take)
    drill = Drill.plan(["Asha Rao", "Ben Okoro"], ["cold-call"], 1)
    async with app.run_test(size=(80, 24)) as pilot:
        practice = finished_practice(app.services.store, "cold-call", spoken_take, trainee="Asha Rao")
        drill.record(practice.id)
        screen = DrillTakeScreen(DrillSession(drill, app.services.store, app.services.library), practice)
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.is_mounted)
        await pilot.pause()
        shown = str(screen.query_one("#take-measurements", Static).render())
        assert "What the machine heard" in shown and "Pace" in shown and "hi anne" in shown
        # the time the verdict judges: to the last word, not to the stop key
        message_s = practice.attempt.message_s  # type: ignore[union-attr]
        assert message_s < practice.attempt.duration_s  # type: ignore[union-attr]
        title = str(screen.query_one("#take-title", Static).render())
        assert title == f"Asha Rao to Anne Fletcher: {message_s:.1f} s to the last word"
        keys = list(screen.query(FooterKey))
        assert {k.key for k in keys} >= {"p", "1", "2", "3", "v", "t", "n"}
        assert all(k.region.right <= 80 and k.region.width > 0 for k in keys)  # none cut off at 80 columns


def test_every_scenario_asked_for_is_used() -> None:
    """`--scenario cold-call --scenario meeting-confirmation --rounds 1` gave every turn the cold
    call (issue #17): with more scenarios than rounds, trainees take them in turn."""
    drill = Drill.plan(["Asha", "Ben", "Chloé"], ["cold-call", "meeting-confirmation"], 1)
    assert [t.scenario_id for t in drill.turns] == ["cold-call", "meeting-confirmation", "cold-call"]
    two_rounds = Drill.plan(["Asha", "Ben"], ["cold-call", "meeting-confirmation"], 2)
    assert [t.scenario_id for t in two_rounds.turns] == ["cold-call"] * 2 + ["meeting-confirmation"] * 2
    three = Drill.plan(["Asha", "Ben"], ["cold-call", "meeting-confirmation", "proposal-follow-up"], 2)
    assert {t.scenario_id for t in three.turns} == {"cold-call", "meeting-confirmation", "proposal-follow-up"}


def _interrupted(tmp_path: Path, spoken_take: Path, app):  # type: ignore[no-untyped-def]
    """A drill whose first take was being recorded when the program was killed: its WAV is on
    disk, with no record."""
    drill = Drill.plan(["Asha Rao", "Ben Okoro"], ["cold-call"], 1)
    session = DrillSession(drill, app.services.store, app.services.library)
    assert session.save()
    wav = app.services.store.new_take_path("Asha Rao", "cold-call", datetime.now().astimezone(), "f" * 32)
    shutil.copyfile(spoken_take, wav)
    return drill, wav


async def test_resume_offers_the_interrupted_take_and_keeps_it(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take)
    drill, wav = _interrupted(tmp_path, spoken_take, app)
    resumed = make_app(tmp_path, spoken_take, DrillResumeStart(drill))
    async with resumed.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(resumed.screen, ConfirmScreen), timeout=30)
        assert "Asha Rao's take was interrupted (14.9 s recorded, not scored)" in resumed.screen.question
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(resumed.screen, DrillTakeScreen), timeout=60)
        practice = resumed.screen.practice
        assert practice.audio_path == wav and practice.store.record_path(wav).exists()
        assert drill.current is not None and drill.current.attempt_id == practice.id


async def test_resume_can_set_the_interrupted_take_aside(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take)
    drill, wav = _interrupted(tmp_path, spoken_take, app)
    resumed = make_app(tmp_path, spoken_take, DrillResumeStart(drill))
    async with resumed.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(resumed.screen, ConfirmScreen), timeout=30)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(resumed.screen, DrillTurnScreen) and not wav.exists())
    aside = wav.with_name(wav.stem + SET_ASIDE)
    assert aside.exists()  # kept, never deleted
    session = DrillSession(drill, app.services.store, app.services.library)
    assert session.interrupted_take(drill.turns[0]) is None  # and not offered again


async def test_the_set_up_shows_what_is_chosen_without_colour(tmp_path: Path, spoken_take: Path) -> None:
    """Walked: every box read "▐X▌", ticked or not (only its colour differed), and the three steps
    of a campaign read alike, cut off in the campaign's title."""
    app = make_app(tmp_path, spoken_take)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = DrillSetupScreen(scenario_ids=["meeting-confirmation"])
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.is_mounted)
        await pilot.pause()
        choices, shuffle = (
            screen.query_one("#drill-scenarios", TickList),
            screen.query_one("#shuffle", TickBox),
        )
        lines = [choices.render_line(y).text for y in range(choices.option_count)]
        ticked = [line for line in lines if line.startswith("▐X▌")]
        assert len(ticked) == 1 and "Meeting confirmation" in ticked[0]
        assert sum(line.startswith("▐ ▌") for line in lines) == len(lines) - 1
        steps = [line[4:].rstrip() for line in lines if ", step " in line]  # after the box
        assert len(set(steps)) == len(steps) == 12  # each its own, by its prospect
        # walked: both "A teaser" steps were cut off before their campaign's name at 80 columns
        assert "Daniel, step 2 of 3: A teaser" in steps and "Peggy, step 5 of 6: A teaser" in steps
        assert "▐ ▌" in str(shuffle.render())
        shuffle.value = True
        await pilot.pause()
        assert "▐X▌" in str(shuffle.render())
