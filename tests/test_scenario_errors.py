"""Every mistake a person can make in a scenario file names the file, the line and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.scenario_loader import ScenarioError, load_library, load_scenario


def write(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


def only_problem(path: Path):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert len(caught.value.problems) == 1, str(caught.value)
    problem = caught.value.problems[0]
    assert problem.path == str(path)
    assert str(caught.value).startswith(f"{path}:{problem.line}:")
    return problem


def test_toml_syntax_error_names_the_line(tmp_path: Path, cold_call_text: str) -> None:
    text = cold_call_text.replace("rate = 165", "rate = = 165")
    problem = only_problem(write(tmp_path, text))
    assert problem.line == line_of(text, "rate = = 165")
    assert "TOML syntax error" in problem.message


def test_unknown_key_suggests_the_nearest(tmp_path: Path, cold_call_text: str) -> None:
    text = cold_call_text.replace(
        "question = \"Did you say Anne's name", "qestion = \"Did you say Anne's name"
    )
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "rubric.criteria[0].qestion"
    assert problem.line == line_of(text, "qestion =")
    assert "did you mean 'question'" in problem.message


def test_missing_key_is_reported_with_its_table(tmp_path: Path, cold_call_text: str) -> None:
    text = cold_call_text.replace('company = "Harrow & Lyle Solicitors"\n', "")
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "prospect.company"
    assert problem.line == line_of(text, "[prospect]")
    assert "missing" in problem.message


def test_wrong_type(tmp_path: Path, cold_call_text: str) -> None:
    text = cold_call_text.replace("max_words = 35", 'max_words = "thirty-five"')
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "targets.max_words"
    assert problem.line == line_of(text, "max_words =")
    assert "whole number" in problem.message


def test_non_positive_weight_in_the_third_criterion(tmp_path: Path, cold_call_text: str) -> None:
    text = cold_call_text.replace(
        'weight = 1\nscale = "yes-no"\nsources = ["001', 'weight = 0\nscale = "yes-no"\nsources = ["001', 1
    )
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "rubric.criteria[2].weight"
    assert problem.line == line_of(text, "weight = 0")
    assert "positive" in problem.message


def test_duplicate_criterion_ids(tmp_path: Path, cold_call_text: str) -> None:
    text = cold_call_text.replace('id = "one-idea"', 'id = "three-part-intro"')
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "rubric.criteria[2].id"
    assert problem.line == line_of(text, 'id = "three-part-intro"', occurrence=2)
    assert "duplicate" in problem.message


def test_window_minimum_above_maximum(tmp_path: Path, cold_call_text: str) -> None:
    text = cold_call_text.replace("min_seconds = 12", "min_seconds = 45").replace(
        "hard_max_seconds = 60", "hard_max_seconds = 90"
    )
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "targets.min_seconds"
    assert problem.line == line_of(text, "min_seconds = 45")


def test_unknown_hint(tmp_path: Path, cold_call_text: str) -> None:
    text = cold_call_text.replace('hint = "call_to_action"', 'hint = "call_to_actoin"')
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "rubric.criteria[4].hint"
    assert problem.line == line_of(text, 'hint = "call_to_actoin"')
    assert "did you mean 'call_to_action'" in problem.message


def test_empty_rubric(tmp_path: Path, cold_call_text: str) -> None:
    head = cold_call_text.split("[[rubric.criteria]]", maxsplit=1)[0]
    text = head + "[rubric]\ncriteria = []\n"
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "rubric.criteria"
    assert problem.line == line_of(text, "criteria = []")
    assert "empty" in problem.message


def test_wrong_number_of_anchors(tmp_path: Path, cold_call_text: str) -> None:
    text = cold_call_text.replace(
        'anchors = ["No number", "A number, but rushed", "The number, slowly, in clear groups"]',
        'anchors = ["No number", "The number"]',
    )
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "rubric.criteria[5].anchors"
    assert problem.line == line_of(text, 'anchors = ["No number", "The number"]')


def test_bad_kind_lists_the_choices(tmp_path: Path, cold_call_text: str) -> None:
    text = cold_call_text.replace('kind = "cold-call"', 'kind = "warm-call"')
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "kind"
    assert "proposal-follow-up" in problem.message


def test_every_problem_in_a_file_is_reported(tmp_path: Path, cold_call_text: str) -> None:
    text = cold_call_text.replace("max_words = 35", "max_words = -3").replace(
        'gender = "female"', 'gender = "robot"'
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write(tmp_path, text))
    keys = {p.key for p in caught.value.problems}
    assert keys == {"targets.max_words", "prospect.voice.gender"}


def test_broken_file_never_stops_the_others(tmp_path: Path, cold_call_text: str) -> None:
    write(tmp_path, cold_call_text.replace('id = "cold-call"', 'id = "good-one"'), "a.toml")
    write(tmp_path, "id = [", "b.toml")
    library = load_library([tmp_path])
    assert list(library.scenarios) == ["good-one"]
    assert len(library.broken) == 1 and library.broken[0].path.endswith("b.toml")


def test_later_folder_overrides_and_it_is_reported(
    tmp_path: Path, shipped_dir: Path, cold_call_text: str
) -> None:
    write(tmp_path, cold_call_text.replace("version = 1", "version = 7", 1), "cold.toml")
    library = load_library([shipped_dir, tmp_path])
    assert library.get("cold-call").version == 7
    assert any("overrides" in note and "cold-call" in note for note in library.overrides)


def test_cli_validate_exit_codes(
    tmp_path: Path, cold_call_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write(tmp_path, cold_call_text, "good.toml")
    assert main(["scenarios", "validate", str(good)]) == 0
    bad = write(tmp_path, cold_call_text.replace("weight = 2", "weight = -2", 1), "bad.toml")
    assert main(["scenarios", "validate", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:{line_of(bad.read_text(), 'weight = -2')}: rubric.criteria[0].weight" in out
    assert "1 valid, 1 with errors" in out


def test_cli_scenario_folders_from_option_and_environment(
    tmp_path: Path, cold_call_text: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    option_dir = tmp_path / "option"
    env_dir = tmp_path / "env"
    option_dir.mkdir()
    env_dir.mkdir()
    write(option_dir, cold_call_text.replace('id = "cold-call"', 'id = "from-option"'))
    write(env_dir, cold_call_text.replace('id = "cold-call"', 'id = "from-env"'))
    monkeypatch.setenv("VOICEMAIL_SIM_SCENARIOS", str(env_dir))
    assert main(["--scenarios", str(option_dir), "scenarios", "list"]) == 0
    out = capsys.readouterr().out
    assert "from-option" in out and "from-env" in out and "cold-call" in out


def test_cli_show_and_unknown_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenarios", "show", "meeting-confirmation", "--model"]) == 0
    out = capsys.readouterr().out
    assert "Priya Shah" in out and "RUBRIC" in out and "MODEL MESSAGE" in out
    assert main(["scenarios", "show", "nope"]) == 1
    assert "no scenario 'nope'" in capsys.readouterr().err


def test_a_missing_key_is_not_hidden_by_a_similar_present_one(tmp_path: Path, cold_call_text: str) -> None:
    text = cold_call_text.replace("max_seconds = 30\n", "")
    problem = only_problem(write(tmp_path, text))
    assert problem.key == "targets.max_seconds"
    assert "missing" in problem.message


def test_a_meeting_day_that_is_no_weekday_names_its_line(tmp_path: Path, cold_call_text: str) -> None:
    text = cold_call_text.replace('caller = "Sam Patel"', 'caller = "Sam Patel"\nmeeting_day = "Thurs"')
    problem = only_problem(write(tmp_path, text))
    assert (problem.key, problem.line) == ("brief.meeting_day", line_of(text, "meeting_day"))
    assert "Thursday" in problem.message and "Thurs" in problem.message
