"""What trainees read names its sources as the trainers they are, never as "seed 001" (issue #17);
instructors' reports keep the seed beside the name, so every criterion still traces to its article."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from simulator.locations import shipped_scenarios_dir
from simulator.scenario_loader import load_library
from simulator.scenarios import SEED_AUTHORS, as_advice
from simulator.tui.text import brief_text, criterion_text

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
