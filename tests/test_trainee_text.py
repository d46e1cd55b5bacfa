"""What trainees read names its sources as the trainers they are, never as "seed 001" (issue #17);
instructors' reports keep the seed beside the name, so every criterion still traces to its article."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from simulator.drill import Drill
from simulator.locations import shipped_scenarios_dir
from simulator.scenario_loader import load_library
from simulator.scenarios import SEED_AUTHORS, as_advice, as_called_by
from simulator.tui.text import brief_text, criterion_text

from .app_support import make_app, presenter_view

LIBRARY = load_library([shipped_scenarios_dir()])


def test_no_trainee_screen_text_says_seed() -> None:
    for scenario in LIBRARY.scenarios.values():
        shown = [brief_text(scenario).plain, scenario.model_message]
        shown += [criterion_text(c, None).plain for c in scenario.rubric.criteria]
        assert not [text for text in shown if "seed" in text.lower()], scenario.id
    assert any("(from a telesales coach)" in criterion_text(c, None).plain
               for s in LIBRARY.scenarios.values() for c in s.rubric.criteria)  # fmt: skip


def test_instructors_keep_the_seed() -> None:
    assert as_advice("Slow down (seed 001).", cited=True) == "Slow down (from a telesales coach, seed 001)."
    assert (
        as_advice("Both (seeds 000, 002).") == "Both (from a UK telesales trainer and a sales-software blog)."
    )


@given(st.text())
def test_text_without_citations_is_unchanged(text: str) -> None:
    if "(seed" not in text:
        assert as_advice(text) == text


@given(st.sampled_from(sorted(SEED_AUTHORS)), st.text(alphabet="abc .,", max_size=20))
def test_every_seed_is_named(seed: str, around: str) -> None:
    shown = as_advice(f"{around}(seed {seed}){around}")
    assert SEED_AUTHORS[seed] in shown and "seed" not in shown


def test_the_trainee_speaks_as_themself() -> None:
    """The brief's email and the model message are in the trainee's name, as the name check
    expects: a drill's Asha read "it's Sam Patel" and was then told "✗ did not hear your name
    (Asha Rao)" (issue #17)."""
    for scenario in LIBRARY.scenarios.values():
        persona = scenario.brief.caller
        assert persona and persona in scenario.model_message, scenario.id  # each names its caller
        mine = as_called_by(scenario, "Chloé Martin")
        assert "Chloé Martin" in mine.model_message and persona not in mine.model_message
        assert mine.brief.email.startswith("chloe.martin@")
        assert as_called_by(scenario, persona) == scenario
        assert as_called_by(scenario, "") == scenario
    proposal = as_called_by(LIBRARY.get("proposal-follow-up"), "Asha Rao")
    assert "email asha at fleetwise" in proposal.model_message  # the first name, spelled as said


@given(st.text(min_size=1, max_size=40))
def test_any_trainee_name_gives_a_usable_brief(name: str) -> None:
    mine = as_called_by(LIBRARY.get("cold-call"), name)
    local, _, domain = mine.brief.email.partition("@")
    assert domain == "clearline.example" and local and local.isascii()
    if name.strip() and name.strip().casefold() != "sam patel":
        assert local != "sam.patel" and " ".join(name.split()) in mine.model_message


async def test_the_drill_turn_brief_is_in_the_trainees_name(tmp_path: Path, spoken_take: Path) -> None:
    app = make_app(tmp_path, spoken_take)
    drill = Drill.plan(["Asha Rao"], ["cold-call"], 1)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await presenter_view(app, pilot, drill)
        shown = str(screen.query_one("#turn-brief").render())
        assert "asha.rao@clearline.example" in shown and "sam.patel" not in shown
