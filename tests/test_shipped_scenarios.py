"""The scenario library that ships: valid, grounded in the seeds, distinct."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.scenario_loader import load_library, load_scenario, scenario_files
from simulator.scenarios import ScenarioKind

SEEDS = {
    "000_c5a45ee0899b81b0.txt",
    "001_83221703e62f7d76.txt",
    "002_eeeca44705b9f435.txt",
    "003_0ac701a1862a4cdd.txt",
    "004_7a01f6b59018d656.txt",
}
SHARED_SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_every_shipped_scenario_loads(shipped_dir: Path) -> None:
    library = load_library([shipped_dir])
    assert library.broken == []
    assert len(library.scenarios) >= 5
    kinds = {s.kind for s in library.scenarios.values()}
    assert {
        ScenarioKind.COLD_CALL,
        ScenarioKind.PROPOSAL_FOLLOW_UP,
        ScenarioKind.MEETING_CONFIRMATION,
    } <= kinds


def test_required_scenarios_are_there(shipped_dir: Path) -> None:
    library = load_library([shipped_dir])
    for scenario_id in ("cold-call", "proposal-follow-up", "meeting-confirmation"):
        assert scenario_id in library.scenarios
    anne = library.get("cold-call").prospect
    assert anne.greeting == "This is Anne, please leave a message."


@pytest.mark.parametrize("path", scenario_files(Path(__file__).resolve().parents[1] / "scenarios"), ids=str)
def test_criteria_trace_back_to_a_seed_or_a_measurement(path: Path) -> None:
    scenario = load_scenario(path)
    for criterion in scenario.rubric.criteria:
        assert criterion.sources, f"{criterion.id} names no source"
        for source in criterion.sources:
            assert source in SEEDS | {"measured"}, f"{criterion.id}: unknown source {source}"
            if source != "measured":
                seed_number = source[:3]
                assert seed_number in criterion.guidance, (
                    f"{criterion.id}: guidance should cite seed {seed_number}"
                )
        if criterion.scale.value == "0-2":
            assert len(criterion.anchors) == 3


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="shared/seeds is not beside this checkout")
def test_seed_names_are_real_files() -> None:
    assert {p.name for p in SHARED_SEEDS.iterdir()} >= SEEDS


def test_scenarios_are_distinct(shipped_dir: Path) -> None:
    scenarios = list(load_library([shipped_dir]).scenarios.values())
    for attribute in ("name", "company", "greeting"):
        values = [getattr(s.prospect, attribute) for s in scenarios]
        assert len(set(values)) == len(values), attribute
    voices = [s.prospect.voice for s in scenarios]
    assert len(set(voices)) == len(voices)


def test_model_messages_meet_their_own_targets(shipped_dir: Path) -> None:
    for scenario in load_library([shipped_dir]).scenarios.values():
        assert scenario.words_in_model_message() <= scenario.targets.max_words, scenario.id
        assert scenario.brief.callback_number.replace(" ", "").replace("-", "") in (
            scenario.model_message.replace(" ", "").replace("-", "")
        ), scenario.id
