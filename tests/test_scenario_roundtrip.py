"""Scenario → TOML (tomli-w) → scenario, and the line locator on generated documents."""

from __future__ import annotations

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.scenario_loader import ScenarioError, parse_scenario, scenario_to_dict
from simulator.scenarios import Scenario
from simulator.tomlpos import KeyLocator

from .strategies import slugs
from .strategies_loaders import valid_scenarios


@settings(max_examples=150, deadline=None)
@given(valid_scenarios())
def test_scenario_survives_a_round_trip_through_toml(scenario: Scenario) -> None:
    text = tomli_w.dumps(scenario_to_dict(scenario))
    assert parse_scenario(text, "generated.toml") == scenario


@settings(max_examples=100, deadline=None)
@given(valid_scenarios(), st.data())
def test_a_bad_weight_is_located_in_generated_documents(scenario: Scenario, data: st.DataObject) -> None:
    document = scenario_to_dict(scenario)
    index = data.draw(st.integers(min_value=0, max_value=len(document["rubric"]["criteria"]) - 1))
    document["rubric"]["criteria"][index]["weight"] = -1
    text = tomli_w.dumps(document, multiline_strings=data.draw(st.booleans()))
    try:
        parse_scenario(text, "generated.toml")
    except ScenarioError as error:
        (problem,) = error.problems
    else:
        raise AssertionError("a negative weight was accepted")
    assert problem.key == f"rubric.criteria[{index}].weight"
    assert "weight = -1" in text.splitlines()[problem.line - 1]


@given(st.lists(slugs, min_size=1, max_size=6, unique=True))
def test_locator_finds_keys_in_arrays_of_tables(names: list[str]) -> None:
    text = "title = 'x'\n" + "".join(f"[[items]]\nname = '{n}'\n[items.more]\ndepth = 1\n" for n in names)
    locator = KeyLocator(text)
    lines = text.splitlines()
    for index, name in enumerate(names):
        assert lines[locator.line_of(f"items[{index}].name") - 1] == f"name = '{name}'"
        assert lines[locator.line_of(f"items[{index}].more.depth") - 1] == "depth = 1"
        assert lines[locator.line_of(f"items[{index}].more") - 1] == "[items.more]"
    assert locator.line_of("nowhere.at.all") == 1
