"""Scenario files and rosters that once crashed or hung the loaders, and fuzzing that no input can.

Every way a file can be wrong must come back as the loader's own error, naming the file and a line,
and a broken scenario file must never stop the others from loading.
"""

from __future__ import annotations

import math
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.attempts import RaterKind, TimingVerdict
from simulator.cli import main
from simulator.drill import RosterError, load_roster, parse_roster_text
from simulator.names import cell_width, fit_cells, normalise_name, terminal_safe
from simulator.report import build_report, render_text
from simulator.report_html import render_html
from simulator.scenario_loader import (
    MAX_FILE_BYTES,
    ScenarioError,
    load_library,
    load_scenario,
    parse_scenario,
)
from simulator.scenarios import Scenario
from simulator.summaries import AttemptSummary, ScoreSummary
from simulator.toml_checks import MAX_PROBLEMS

from .strategies_loaders import mutated_scenario_texts, names_with_trouble, toml_rosters

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_LANGUAGE = re.compile(r"^[a-z]{2,3}([-_][A-Za-z0-9]{1,8})*$")


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def scenario_error(text: str, path: str = "bad.toml") -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, path)
    return caught.value


def assert_names_file_and_line(error: ScenarioError, path: str) -> None:
    for line in str(error).splitlines():
        assert re.match(rf"{re.escape(path)}:[1-9][0-9]*: ", line), line
    for problem in error.problems:
        assert problem.path == path and problem.line >= 1


def line_of(text: str, needle: str) -> int:
    """The line TOML counts (``str.splitlines`` also splits at form feeds and line separators)."""
    return next(n for n, line in enumerate(text.split("\n"), start=1) if needle in line)


# -- scenario files that crashed --------------------------------------------------------------------
@pytest.mark.parametrize(
    "value", ["[" * 1000 + "]" * 1000, "{a = " * 1000 + "1" + "}" * 1000], ids=["array", "inline-table"]
)
def test_deep_nesting_is_a_scenario_error_on_its_line(cold_call_text: str, value: str) -> None:
    text = cold_call_text.replace("max_words = 35", f"max_words = {value}")
    error = scenario_error(text)
    (problem,) = error.problems
    assert problem.line == line_of(text, "max_words =")
    assert "nested" in problem.message


def test_a_5000_digit_number_is_a_scenario_error_on_its_line(cold_call_text: str) -> None:
    text = cold_call_text.replace("max_words = 35", "max_words = " + "9" * 5000)
    (problem,) = scenario_error(text).problems
    assert problem.line == line_of(text, "max_words =")
    assert "digits" in problem.message


@pytest.mark.parametrize(
    ("old", "key"),
    [("weight = 2", "rubric.criteria[0].weight"), ("rate = 165", "prospect.voice.rate")],
)
def test_a_huge_hexadecimal_number_is_a_scenario_error(cold_call_text: str, old: str, key: str) -> None:
    # tomllib reads hexadecimal without the 4300-digit limit; showing or converting it used to crash
    name = old.split(" = ", maxsplit=1)[0]
    text = cold_call_text.replace(old, f"{name} = 0x" + "f" * 5000, 1)
    error = scenario_error(text)
    (problem,) = error.problems
    assert problem.key == key and problem.line == line_of(text, f"{name} = 0x")
    assert len(str(error)) < 300


def test_a_file_that_crashed_the_loader_never_stops_the_others(
    tmp_path: Path, cold_call_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "a.toml", cold_call_text.replace('id = "cold-call"', 'id = "good-one"'))
    write(tmp_path, "b.toml", "x = " + "[" * 1000 + "]" * 1000 + "\n")
    write(tmp_path, "c.toml", "x = " + "9" * 5000 + "\n")
    library = load_library([tmp_path])
    assert list(library.scenarios) == ["good-one"]
    assert sorted(Path(e.path).name for e in library.broken) == ["b.toml", "c.toml"]
    assert main(["--scenarios", str(tmp_path), "scenarios", "list"]) == 1  # 1: some are broken
    out, err = capsys.readouterr()
    assert "good-one" in out and f"{tmp_path / 'b.toml'}:1: " in err and "Traceback" not in err


# -- size and time ----------------------------------------------------------------------------------
def test_twenty_thousand_unknown_keys_are_capped_and_quick(cold_call_text: str) -> None:
    text = "".join(f"unknown_{i} = {i}\n" for i in range(20_000)) + cold_call_text
    started = time.perf_counter()
    error = scenario_error(text)
    elapsed = time.perf_counter() - started
    assert len(error.problems) <= MAX_PROBLEMS + 1
    assert "more problems" in str(error).splitlines()[-1]
    assert_names_file_and_line(error, "bad.toml")
    assert elapsed < 5, f"{elapsed:.1f} s"  # it takes well under a second; quadratic took 10 s or more


@pytest.mark.parametrize("header", ["[" + " " * 3000 + "targets", "[targets" + " " * 60_000 + "x"])
def test_an_unclosed_header_padded_with_spaces_is_read_quickly(cold_call_text: str, header: str) -> None:
    # the header pattern used to backtrack: 3,000 spaces took half a minute, 10,000 never finished
    text = cold_call_text.replace("[targets]", header)
    started = time.perf_counter()
    (problem,) = scenario_error(text).problems
    assert problem.line == line_of(text, header) and "TOML syntax error" in problem.message
    assert time.perf_counter() - started < 5


def test_an_oversized_file_is_refused_with_a_clear_message(tmp_path: Path, cold_call_text: str) -> None:
    path = write(tmp_path, "huge.toml", cold_call_text + "# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    (problem,) = caught.value.problems
    assert problem.line == 1 and "at most 1 MB" in problem.message


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('kind = "cold-call"', 'kind = "' + "x" * 1_000_000 + '"'),
        ('hint = "call_to_action"', 'hint = "' + "x" * 1_000_000 + '"'),
        ("max_words = 35", "max_words = 35\n" + "y" * 500_000 + " = 1"),
    ],
    ids=["choice", "hint", "unknown-key"],
)
def test_a_long_bad_value_is_not_echoed_in_full(cold_call_text: str, old: str, new: str) -> None:
    error = scenario_error(cold_call_text.replace(old, new, 1))
    assert len(str(error)) < 400 and "x" * 100 not in str(error)


def test_a_problem_never_prints_a_control_character(cold_call_text: str) -> None:
    text = cold_call_text.replace("max_words = 35", 'max_words = 35\n"\\u001b[2J" = "\\u001b[31m"')
    shown = str(scenario_error(text))
    assert "\x1b" not in shown and "\\x1b" in shown


def test_line_numbers_count_newlines_only(cold_call_text: str) -> None:
    # a line separator inside a string is not a new line to TOML, so it must not shift the count
    text = cold_call_text.replace('title = "', 'title = "\u2028\u2029', 1).replace(
        "max_words = 35", "max_wordz = 35"
    )
    problems = {p.key: p for p in scenario_error(text).problems}
    assert problems["targets.max_wordz"].line == line_of(text, "max_wordz")


# -- values accepted that should not be -------------------------------------------------------------
@pytest.mark.parametrize(
    ("old", "new", "key", "message"),
    [
        ('language = "en-gb"', 'language = "en\\u001b[2J"', "prospect.voice.language", "\\x1b"),
        ('language = "en-gb"', 'language = "\\u0007"', "prospect.voice.language", "\\x07"),
        ('language = "en-gb"', 'language = "en gb"', "prospect.voice.language", "language tag"),
        ('language = "en-gb"', 'language = "--help"', "prospect.voice.language", "language tag"),
        ('name = "Anne Fletcher"', 'name = "\\u200b\\u200d"', "prospect.name", "invisible"),
        ('name = "Anne Fletcher"', 'name = "\\u200d\\u0301"', "prospect.name", "nothing visible"),
        ('name = "Anne Fletcher"', 'name = "Anne\\u001b[2J"', "prospect.name", "\\x1b"),
        ('title = "', 'title = "\\u0000', "title", "\\x00"),
        ('title = "', 'title = "\\u202e', "title", "\\u202e"),
        ('greeting = "', 'greeting = "\\u001b]0;owned\\u0007', "prospect.greeting", "\\x1b"),
        ("weight = 2", "weight = 1e308", "rubric.criteria[0].weight", "at most 1000"),
        ("weight = 2", "weight = inf", "rubric.criteria[0].weight", "number"),
        ("hard_max_seconds = 60", "hard_max_seconds = 1e308", "targets.hard_max_seconds", "at most"),
    ],
)
def test_a_bad_text_or_number_is_refused(
    cold_call_text: str, old: str, new: str, key: str, message: str
) -> None:
    assert old in cold_call_text
    text = cold_call_text.replace(old, new, 1)
    problems = {p.key: p for p in scenario_error(text).problems}
    assert key in problems, problems
    assert message in problems[key].message
    assert problems[key].line == line_of(text, new)


def test_prose_keeps_its_newlines_and_tabs(cold_call_text: str) -> None:
    text = cold_call_text.replace('greeting = "', 'greeting = "Hello\\n\\tthere. ', 1)
    assert parse_scenario(text).prospect.greeting.startswith("Hello\n\tthere. ")


# -- rosters ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "text", "line", "message"),
    [
        ("deep.toml", "# a roster\ntrainees = " + "[" * 1000 + "]" * 1000 + "\n", 2, "nested"),
        ("inline.toml", "trainees = []\nx = " + "{a = " * 1000 + "1" + "}" * 1000, 2, "nested"),
        ("digits.toml", 'trainees = ["Ann"]\nx = ' + "9" * 5000 + "\n", 2, "digits"),
        ("hex.toml", "trainees = [0x" + "f" * 5000 + "]\n", 1, "list of names"),
        ("long.csv", "name\nAnn\n" + "x" * 140_000 + "\nBob\n", 3, "too long"),
        ("quoted.csv", 'name\nAnn\n"' + "x" * 140_000 + '"\n', 3, "too long"),
        ("escape.csv", "name\nAnn\n\x1b[2JBob\n", 3, "\\x1b"),
        ("nul.csv", "name\nAnn\nB\x00ob\n", 3, "\\x00"),
        ("zero-width.csv", "name\nAnn\n\u200b\u200d\n", 3, "empty name"),
        ("nfc.csv", "name\nChlo\u00e9\nChloe\u0301\n", 3, "already on the roster (line 2)"),
        ("joined.csv", "name\nAnn\nA\u200bnn\n", 3, "already on the roster (line 2)"),
        ("bytes.csv", b"name\nAnn\nB\xffob\n", 3, "UTF-8"),
        ("bytes.toml", b"trainees = [\n'Ann',\n'B\xffob']\n", 3, "UTF-8"),
    ],
)
def test_roster_defects_are_errors_on_their_line(
    tmp_path: Path, name: str, text: str | bytes, line: int, message: str
) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(RosterError) as caught:
        load_roster(path)
    assert caught.value.line == line, str(caught.value)[:200]
    assert str(caught.value).startswith(f"{path}:{line}:") and message in str(caught.value)
    assert len(str(caught.value)) < 300


@pytest.mark.parametrize(
    ("text", "line", "first"),
    [
        ('# Ann leads\ntrainees = [\n  "Bob",\n  "Ann",\n  "Cy",\n  "Ann",\n]\n', 6, 4),
        ('trainees = ["Ann", "Annabel", "Ann"]\n', 1, 1),
        (
            '# Ann\n[[trainee]]\nname = "Annabel"\n[[trainee]]\nname = "Ann"\n[[trainee]]\nname = "Ann"\n',
            7,
            5,
        ),
    ],
)
def test_toml_roster_duplicates_are_reported_on_their_own_line(
    tmp_path: Path, text: str, line: int, first: int
) -> None:
    path = write(tmp_path, "dup.toml", text)
    with pytest.raises(RosterError) as caught:
        load_roster(path)
    assert caught.value.line == line
    assert f"already on the roster (line {first})" in str(caught.value)


def test_an_oversized_roster_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "big.csv", "name\n" + "Ann Example\n" * 100_000)
    with pytest.raises(RosterError, match="at most 1 MB") as caught:
        load_roster(path)
    assert caught.value.line == 1


def test_typed_roster_names_are_cleaned_and_compared_as_one_spelling() -> None:
    assert parse_roster_text("Chlo\u00e9\n  Ben\u200b  Smith \n") == ["Chloé", "Ben Smith"]
    with pytest.raises(RosterError, match=r"<roster>:2: .*already on the roster \(line 1\)"):
        parse_roster_text("Chloe\u0301\nCHLO\u00c9")
    with pytest.raises(RosterError, match=r"<roster>:2: .*\\x1b"):
        parse_roster_text("Ann\n\x1b[2JBob")


# -- names on the way out ---------------------------------------------------------------------------
def test_names_are_normalised_and_made_terminal_safe() -> None:
    assert normalise_name("  Chloe\u0301 \u200bSmith\u202e ") == "Chlo\u00e9 Smith"
    assert terminal_safe("Ann\x1b[2J\x00\x7f\x9b\u202eZ") == "Ann\\x1b[2J\\x00\\x7f\\x9b\\u202eZ"
    assert terminal_safe("Chloé 👩\u200d💻") == "Chloé 👩\u200d💻"


def test_the_text_report_escapes_names_and_titles() -> None:
    own = ScoreSummary(RaterKind.SELF, "", 50.0, TimingVerdict.WITHIN_TARGET, {"crit\x1b[1m": 1})
    summary = AttemptSummary(
        id="a" * 32, trainee="\x1b[2JMallory", workstation="", scenario_id="cold-call",
        scenario_title="Cold \x1b[31mcall", scenario_version=1, started_at="2026-01-01T10:00:00",
        duration_s=20.0, message_s=19.0, words=None, words_sure=None, cut_off=False, drill_id="",
        campaign_id="", campaign_step=0, something_new=None, assessments=(own,),
    )  # fmt: skip
    shown = render_text(build_report([summary]))
    assert "\x1b" not in shown
    assert "\\x1b[2JMallory" in shown
    page = render_html(build_report([summary]))
    assert "\x1b" not in page and "\\x1b[2JMallory" in page


# -- fuzzing ----------------------------------------------------------------------------------------
def check_scenario(scenario: Scenario) -> None:
    """What an accepted scenario promises the rest of the program."""
    texts = [scenario.title, scenario.prospect.name, scenario.prospect.voice.language]
    assert all(terminal_safe(t) == t for t in texts)
    assert normalise_name(scenario.prospect.name)
    assert _LANGUAGE.match(scenario.prospect.voice.language)
    total = math.fsum(c.weight for c in scenario.rubric.criteria)
    assert math.isfinite(total) and total > 0


@FUZZ
@given(data=st.binary(max_size=2000))
def test_no_bytes_crash_the_scenario_loader(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "fuzz.toml", data)
    try:
        check_scenario(load_scenario(path))
    except ScenarioError as error:
        assert_names_file_and_line(error, str(path))


@FUZZ
@given(data=st.data())
def test_no_structured_mistake_crashes_the_scenario_loader(cold_call_text: str, data: st.DataObject) -> None:
    text = data.draw(mutated_scenario_texts(cold_call_text))
    try:
        check_scenario(parse_scenario(text, "fuzz.toml"))
    except ScenarioError as error:
        assert_names_file_and_line(error, "fuzz.toml")
        assert len(error.problems) <= MAX_PROBLEMS + 1
        assert all(len(line) < 600 for line in str(error).splitlines())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_broken_file_never_stops_the_others_loading(
    tmp_path_factory: pytest.TempPathFactory, cold_call_text: str, data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("library")
    write(folder, "a.toml", cold_call_text.replace('id = "cold-call"', 'id = "good-one"'))
    broken = data.draw(st.one_of(st.binary(max_size=500), mutated_scenario_texts(cold_call_text)))
    write(folder, "b.toml", broken)
    library = load_library([folder])
    assert "good-one" in library.scenarios
    for error in library.broken:
        assert_names_file_and_line(error, str(folder / "b.toml"))


@FUZZ
@given(data=st.binary(max_size=1000), suffix=st.sampled_from([".csv", ".toml", ".txt"]))
def test_no_bytes_crash_the_roster_loader(tmp_path: Path, data: bytes, suffix: str) -> None:
    check_roster_loads(write(tmp_path, f"fuzz{suffix}", data))


@FUZZ
@given(
    file=st.one_of(
        toml_rosters().map(lambda text: ("fuzz.toml", text)),
        st.lists(names_with_trouble, max_size=6).map(lambda names: ("fuzz.csv", "\n".join(["name", *names]))),
    )
)
def test_no_structured_roster_crashes_the_loader(tmp_path: Path, file: tuple[str, str]) -> None:
    check_roster_loads(write(tmp_path, *file))


def check_roster_loads(path: Path) -> None:
    try:
        names = load_roster(path)
    except RosterError as error:
        assert error.path == str(path) and error.line >= 1
        assert str(error).startswith(f"{path}:{error.line}: ")
        assert terminal_safe(str(error)) == str(error)
    else:
        assert names and all(n == normalise_name(n) == terminal_safe(n) and n for n in names)
        assert len({n.casefold() for n in names}) == len(names)


@FUZZ
@given(text=st.text(max_size=300))
def test_no_typed_roster_crashes(text: str) -> None:
    try:
        names = parse_roster_text(text, "typed")
    except RosterError as error:
        assert str(error).startswith(f"typed:{error.line}: ") and error.line >= 1
    else:
        assert all(n == normalise_name(n) == terminal_safe(n) and n for n in names)


@given(st.text(max_size=60), st.integers(min_value=2, max_value=40))
def test_a_table_cell_is_as_wide_as_its_column_whatever_the_name(text: str, width: int) -> None:
    cell = fit_cells(text, width)
    assert sum(map(cell_width, cell)) == width
    assert cell.rstrip(" ") == text.rstrip(" ") or cell.rstrip(" ").endswith("…")


def test_the_report_s_columns_line_up_after_a_wide_name() -> None:
    """Walked: "../x 😀 Bartholomew-Fitzw     1    79" sat one column right of the row under it (the
    emoji takes two cells) and was cut without a mark."""
    own = ScoreSummary(RaterKind.SELF, "", 79.0, TimingVerdict.WITHIN_TARGET, {})

    def take(trainee: str) -> AttemptSummary:
        return AttemptSummary(
            id="a" * 32, trainee=trainee, workstation="", scenario_id="cold-call", scenario_title="Cold call",
            scenario_version=1, started_at="2026-01-01T10:00:00", duration_s=20.0, message_s=19.0, words=None,
            words_sure=None, cut_off=False, drill_id="", campaign_id="", campaign_step=0,
            something_new=None, assessments=(own,),
        )  # fmt: skip

    shown = render_text(build_report([take("../x 😀 " + "Bartholomew-Fitzwilliam" * 2), take("Sam Patel")]))
    rows = [line for line in shown.splitlines() if "Barthol" in line or line.strip().startswith("Sam Patel")]
    assert len(rows) == 2 and "…" in rows[0]
    assert [sum(map(cell_width, row.rstrip())) for row in rows] == [
        sum(map(cell_width, rows[1].rstrip()))
    ] * 2
