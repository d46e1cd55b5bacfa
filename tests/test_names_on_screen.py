"""Names and titles people typed reach the screens as text, never as Textual markup: a roster
name such as "Ben [/]" or a scenario title with brackets must not crash the screen showing it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from textual.widgets import DataTable, OptionList, Static

from simulator.attempts import Assessment, Rater, RaterKind
from simulator.drill import Drill
from simulator.tui.screens.drill import DrillTurnScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.start import StartScreen
from simulator.tui.startup import DrillResumeStart

from .app_support import finished_practice, make_app, wait_for

AWKWARD = "Ben [/] [b]Okoro"


async def test_a_roster_name_in_brackets_is_shown_as_typed(tmp_path: Path, spoken_take: Path) -> None:
    drill = Drill.plan(["Asha Rao", AWKWARD], ["cold-call"], 1)
    app = make_app(tmp_path, spoken_take, DrillResumeStart(drill), trainee="Instructor")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DrillTurnScreen))
        assert str(app.screen.query_one("#next-up", Static).render()) == f"Next: {AWKWARD}"
        app.notify(f"{AWKWARD} was skipped")  # notifications are plain text too
        await pilot.pause()
        assert isinstance(app.screen, DrillTurnScreen)


async def test_a_scenario_title_in_brackets_is_listed_and_kept_in_history(
    tmp_path: Path, spoken_take: Path
) -> None:
    app = make_app(tmp_path, spoken_take, trainee="Sam Patel")
    cold_call = app.services.library.get("cold-call")
    odd = dataclasses.replace(cold_call, title="Cold call [/] for [red]Anne")
    app.services.library.scenarios["cold-call"] = odd
    practice = finished_practice(app.services.store, "cold-call", spoken_take)
    practice.scenario = odd
    practice.attempt = dataclasses.replace(practice.attempt, scenario_title=odd.title)  # type: ignore[arg-type]
    practice.store.save(practice.attempt, practice.audio_path)  # type: ignore[arg-type]
    practice.assess(Assessment(Rater(RaterKind.SELF, "Sam Patel"), dict.fromkeys(odd.rubric.ids, 1)))
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        prompts = [str(o.prompt) for o in app.screen.query_one("#scenarios", OptionList).options]
        assert any("Cold call [/] for [red]Anne" in p for p in prompts)
        await app.push_screen(HistoryScreen())
        await wait_for(pilot, lambda: app.screen.query_one("#attempts", DataTable).row_count == 1)
        row = app.screen.query_one("#attempts", DataTable).get_row_at(0)
        assert "Cold call [/] for [red]Anne" in str(row[1])


async def test_a_typed_name_is_kept_in_its_one_spelling(tmp_path: Path, spoken_take: Path) -> None:
    """A name pasted with a zero-width space or a decomposed accent is the same trainee."""
    app = make_app(tmp_path, spoken_take)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        app.remember_trainee("  Zoe\u0308\u200b O'Neil ")
        assert app.trainee == "Zoë O'Neil" and app.services.settings.trainee_name == "Zoë O'Neil"
