"""Exports (TOML, CSV) and the class report, through the command line, over real record files."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import sqlite3
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.analysis.record import Hint
from simulator.attempts import Assessment, Attempt, Rater, RaterKind, ScoredAssessment, TimingVerdict
from simulator.cli import main
from simulator.export import Filters, RatingColumn, export_csv, neutralise, write_csv
from simulator.locations import cache_dir, shipped_scenarios_dir
from simulator.record_index import INDEX_FORMAT, RecordIndex, ScanResult
from simulator.records import load_record
from simulator.report import ClassReport, CriterionLine, build_report, instructors_line, judged_by
from simulator.report_campaigns import campaign_rows
from simulator.scenario_loader import load_library
from simulator.store import Store
from simulator.summaries import AttemptSummary, attempt_summary
from simulator.testing.analyses import analysis_with

from .app_support import FIXED_START, sample_attempt
from .strategies import names

COLD = ["three-part-intro", "reason-about-them", "one-idea", "brevity", "call-to-action",
        "number-slowly", "try-again", "tone", "not-vague"]  # fmt: skip


def to_csv_text(summaries: list[AttemptSummary], filters: Filters, criteria: list[str]) -> str:
    buffer = io.StringIO()
    write_csv(summaries, filters, [RatingColumn(c) for c in criteria], buffer)
    return buffer.getvalue()


@given(
    trainee=names,
    rater_name=names,
    score=st.floats(0, 100),
    words=st.none() | st.integers(0, 10**9),
    kinds=st.lists(st.sampled_from(RaterKind), max_size=3),
)
def test_a_summary_reads_back_from_the_index_as_it_was_written(
    trainee: str, rater_name: str, score: float, words: int | None, kinds: list[RaterKind]
) -> None:
    """The index keeps summaries as JSON; what a report reads back is the summary written."""
    levels = dict.fromkeys(COLD, 1)
    assessments = [ScoredAssessment(Assessment(Rater(k, rater_name), levels), score, TimingVerdict.TOO_LONG)
                   for k in kinds]  # fmt: skip
    analysis = None if words is None else analysis_with(words=words)
    attempt = sample_attempt(3, *assessments, trainee=trainee)
    summary = attempt_summary(dataclasses.replace(attempt, analysis=analysis, drill_id="d", campaign_step=2))
    text = json.dumps(summary.to_json(), allow_nan=False)
    assert AttemptSummary.from_json(json.loads(text), "x.toml", "k") == summary.placed("x.toml", "k")


def scored(kind: RaterKind, levels: list[int], score: float, name: str = "") -> ScoredAssessment:
    return ScoredAssessment(
        Assessment(Rater(kind, name), dict(zip(COLD, levels, strict=True))),
        score,
        TimingVerdict.WITHIN_TARGET,
    )


def save(store: Store, n: int, trainee: str, days: int, *assessments: ScoredAssessment) -> Attempt:
    attempt = sample_attempt(n, *assessments, trainee=trainee, days=days)
    store.save(attempt, store.new_take_path(trainee, "cold-call", attempt.started_at, attempt.id))
    return attempt


@pytest.fixture
def classroom(tmp_path: Path) -> Path:
    store = Store(tmp_path / "room")
    high = [2, 2, 1, 1, 1, 2, 1, 2, 1]
    low = [1, 0, 1, 0, 0, 1, 0, 1, 1]
    save(
        store,
        1,
        "Sam Patel",
        0,
        scored(RaterKind.SELF, high, 100.0),
        scored(RaterKind.INSTRUCTOR, low, 50.0, "Ms Hall"),
    )
    save(store, 2, "Sam Patel", 1, scored(RaterKind.SELF, low, 60.0))
    save(
        store,
        3,
        "=cmd()",
        2,
        scored(RaterKind.SELF, high, 90.0),
        scored(RaterKind.PEER, low, 40.0, 'Lee, "Jo"'),
    )
    save(store, 4, "Unassessed", 3)
    return tmp_path / "room"


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_export_reads_the_data_folder_the_app_was_given(
    classroom: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`voicemail-sim --data DIR export` exports what `voicemail-sim --data DIR` recorded."""
    assert main(["--data", str(classroom), "export", "--format", "csv"]) == 0
    assert len(read_csv(capsys.readouterr().out)) == 5  # the unassessed take is left out by default


def test_csv_export_reads_back(classroom: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "csv", str(classroom)]) == 0
    captured = capsys.readouterr()
    rows = read_csv(captured.out)
    assert [(r["trainee"], r["rater"]) for r in rows] == [
        ("Sam Patel", "self"), ("Sam Patel", "instructor"), ("Sam Patel", "self"),
        ("'=cmd()", "self"), ("'=cmd()", "peer"),
    ]  # fmt: skip
    assert "exported 5 rows" in captured.err
    first = rows[0]
    assert list(first)[:13] == ["date", "trainee", "scenario", "rater", "rater_name", "length_s",
                                "message_s", "words", "words_sure", "score", "timing_verdict",
                                "attempt_id", "drill_id"]  # fmt: skip
    # criteria headed by their labels; yes/no criteria read yes and no, 0-2 criteria their level
    assert first["Three-part intro"] == "2" and first["One idea"] == "yes" and first["Nothing vague"] == "yes"
    assert first["score"] == "100.0" and first["words"] == "31" and first["words_sure"] == "yes"
    assert all(len(r["length_s"].split(".")[1]) == 1 for r in rows)  # one decimal place, every row
    assert all(float(r["message_s"]) <= float(r["length_s"]) for r in rows)  # to the last word
    assert rows[4]["rater_name"] == 'Lee, "Jo"'  # quoted, not split
    assert main(["export", "--format", "csv", "--unassessed", str(classroom)]) == 0
    unassessed = read_csv(capsys.readouterr().out)[5]
    assert (
        unassessed["rater"] == "not assessed" and unassessed["score"] == unassessed["Three-part intro"] == ""
    )


def test_an_empty_csv_export_still_has_the_criteria(
    classroom: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trainee no attempt has: the header still, and an error that lists who the data holds
    (walked: "--trainee Sam" for "Sam Patel" gave 0 rows and exit 0, nothing said)."""
    assert main(["export", "--format", "csv", "--trainee", "nobody", str(classroom)]) == 1
    captured = capsys.readouterr()
    header = captured.out.splitlines()[0].split(",")
    assert "Three-part intro" in header and "exported 0 rows" in captured.err
    assert "error: no attempt has --trainee 'nobody'; the data holds: " in captured.err
    assert "Sam Patel" in captured.err.splitlines()[-1]
    assert main(["export", "--format", "toml", "--campaign", "../x", str(classroom)]) == 1
    assert "no attempt has --campaign '../x'; the data holds: none" in capsys.readouterr().err
    since = ["export", "--format", "csv", "--trainee", "sam patel", "--since", "2030-01-01", str(classroom)]
    assert main(since) == 0  # the trainee has attempts, none in the dates: no mistake to name


def test_csv_filters_and_bom(classroom: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "scores.csv"
    args = ["export", "--format", "csv", "--rater", "instructor", "--bom", "-o", str(out), str(classroom)]
    assert main(args) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = read_csv(raw.decode("utf-8"))
    assert [(r["trainee"], r["rater_name"]) for r in rows] == [("Sam Patel", "Ms Hall")]
    assert not list(tmp_path.glob(".scores.csv.*"))
    assert (
        main(["export", "--format", "csv", "--trainee", "sam patel", "--since", "2026-11-24", str(classroom)])
        == 0
    )
    rows = read_csv(capsys.readouterr().out)
    assert [r["score"] for r in rows] == ["60.0"]
    assert main(["export", "--format", "csv", "--until", "2026-11-23", str(classroom)]) == 0
    assert len(read_csv(capsys.readouterr().out)) == 2


def test_bad_date_is_a_clear_error(classroom: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--since", "last week", str(classroom)])
    assert exit_info.value.code == 2
    assert "is not a date like 2026-11-24" in capsys.readouterr().err


def test_toml_export(classroom: Path, tmp_path: Path) -> None:
    out = tmp_path / "scores.toml"
    assert main(["export", "-o", str(out), str(classroom)]) == 0
    document = tomllib.loads(out.read_text())
    assert len(document["attempt"]) == 4
    first = document["attempt"][0]
    assert first["trainee"] == "Sam Patel"
    assert [a["rater"] for a in first["assessment"]] == ["self", "instructor"]
    assert first["assessment"][1]["ratings"]["three-part-intro"] == 1


@pytest.mark.parametrize("cell", ["=cmd()", "+1", "-2+3", "@SUM(A1)", "\t=x", "\r=x"])
def test_formulas_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names)
def test_any_trainee_name_survives_csv(name: str) -> None:
    attempt = Attempt("a" * 32, name, "cold-call", "t", 1, FIXED_START, 1.0, "a.wav")
    rows = read_csv(to_csv_text([attempt_summary(attempt)], Filters(unassessed=True), []))
    expected = neutralise(name).replace("\r\n", "\n").replace("\r", "\n")
    assert rows[0]["trainee"].replace("\r\n", "\n").replace("\r", "\n") == expected


def test_report_in_the_terminal(classroom: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = Store(tmp_path / "second-workstation")
    save(other, 1, "Sam Patel", 0, scored(RaterKind.SELF, [2] * 2 + [1] * 7, 100.0))  # a duplicate id
    save(other, 9, "Priya", 0, scored(RaterKind.SELF, [2, 2, 1, 1, 1, 2, 1, 2, 1], 100.0))
    (other.recordings / "broken.toml").write_text("nonsense = [")
    assert main(["report", str(classroom), str(other.data_dir)]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "Class report: 5 attempts" in out
    assert "Instructor's scores by Ms Hall (1 take)" in out  # walked: whose scores they were went unsaid
    sam = next(line for line in out.splitlines() if line.strip().startswith("Sam Patel"))
    assert sam.split()[2:7] == ["2", "100", "60", "50", "+50"]  # tries, best, latest, instructor, gap
    assert "gap: self-score minus the instructor's on the same takes" in out  # walked: read as 60 - 50
    assert "WHAT THE CLASS MISSES MOST" in out and "(from a telesales coach, seed 001)" in out
    assert "SELF AGAINST INSTRUCTOR" in out
    missed = out.split("WHAT THE CLASS MISSES MOST", 1)[1].split("SELF AGAINST", 1)[0]
    assert "the instructor's ratings where given" in missed  # which rater each figure comes from
    assert all(("self-ratings" in line or "the instructor's" in line) for line in missed.splitlines()
               if "met in" in line)  # fmt: skip
    assert "broken.toml" in captured.err


def test_the_report_names_each_instructor_and_their_takes() -> None:
    assert instructors_line(ClassReport()) == ""
    report = ClassReport(instructors={"": 1, "Ms Hall": 3, "bob\x1b[2J": 1})
    assert instructors_line(report) == (
        "Instructor's scores by bob\\x1b[2J (1 take), Ms Hall (3 takes) and an unnamed instructor (1 take)"
    )


def test_what_the_class_misses_is_judged_by_the_instructor_where_there_is_one() -> None:
    line = CriterionLine("cold-call", "one-idea", rated=3, met=1, by_instructor=2)
    assert judged_by(line) == "the instructor's on 2, self-ratings on 1"
    everyone = CriterionLine("cold-call", "one-idea", rated=2, by_instructor=2)
    assert judged_by(everyone) == "the instructor's ratings"
    assert judged_by(CriterionLine("cold-call", "one-idea", rated=2)) == "self-ratings only"
    lines = [CriterionLine("c", "met", rated=2, met=2), CriterionLine("c", "missed", rated=2, met=1)]
    report = ClassReport(criteria={(c.scenario_id, c.criterion_id): c for c in lines})
    assert [c.criterion_id for c in report.most_missed()] == ["missed"]  # always met is not missed


def test_html_report_is_self_contained(classroom: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert main(["report", str(classroom), "--html", str(out)]) == 0
    html = out.read_text()
    assert html.startswith("<!doctype html>") and "<svg" in html
    # walked: "Best" beside "Instructor (avg)" did not say whose score it was
    assert "<th>Best self-score</th><th>Latest self-score</th><th>Instructor (average)</th>" in html
    assert "<p class=instructors>Instructor&#x27;s scores by Ms Hall (1 take).</p>" in html
    assert "&#x27;=cmd()" in html or "'=cmd()" not in html  # names are escaped
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


def test_index_reparses_only_what_changed(classroom: Path) -> None:
    store = Store(classroom)
    index = RecordIndex(cache_dir() / "index", store)
    first = ScanResult()
    assert len(list(index.summaries(first))) == 4 and first.parsed == 4
    again = ScanResult()
    assert len(list(index.summaries(again))) == 4 and again.parsed == 0 and again.reused == 4
    record = next(p for p in store.record_files() if 'trainee = "Sam Patel"' in p.read_text())
    # the program rewrites a record by renaming a new file into place, as store.save does
    attempt = load_record(record)
    store.save(dataclasses.replace(attempt, trainee="Samuel Patel"), record.with_suffix(".wav"))
    changed = ScanResult()
    trainees = {s.trainee for s in index.summaries(changed)}
    assert "Samuel Patel" in trainees and changed.parsed == 1
    record.unlink()
    assert len(list(index.summaries(ScanResult()))) == 3


def test_an_older_format_s_index_is_replaced_with_its_indexes(classroom: Path, tmp_path: Path) -> None:
    """Found by a review: index names belong to the database, so an older format's "by_time" kept the
    new table from getting its own, and the old tables stayed for good."""
    index = RecordIndex(tmp_path / "cache", Store(classroom))
    index.path.parent.mkdir(parents=True)
    with sqlite3.connect(index.path) as old:
        old.execute("CREATE TABLE records_v7 (path TEXT PRIMARY KEY, folder TEXT, sort_key TEXT)")
        old.execute("CREATE INDEX by_time ON records_v7 (sort_key)")
        old.execute("CREATE TABLE folders_v7 (folder TEXT PRIMARY KEY)")
    assert len(list(index.summaries(ScanResult()))) == 4
    with sqlite3.connect(index.path) as now:
        names = {name for (name,) in now.execute("SELECT name FROM sqlite_master")}
    assert {f"by_time_v{INDEX_FORMAT}", f"by_folder_v{INDEX_FORMAT}", f"records_v{INDEX_FORMAT}"} <= names
    assert not {"records_v7", "folders_v7", "by_time"} & names


def test_index_rescan_reads_hand_edited_records(classroom: Path) -> None:
    store = Store(classroom)
    index = RecordIndex(cache_dir() / "index", store)
    list(index.summaries())
    record = next(p for p in store.record_files() if 'trainee = "Sam Patel"' in p.read_text())
    folder_time = record.parent.stat().st_mtime_ns
    record.write_text(record.read_text().replace('trainee = "Sam Patel"', 'trainee = "Hand Edited"'))
    os.utime(record.parent, ns=(folder_time, folder_time))  # an in-place edit leaves the folder's time alone
    rescanned = ScanResult()
    assert "Hand Edited" in {s.trainee for s in index.summaries(rescanned, rescan=True)}


def test_index_rereads_folders_changed_close_to_the_last_reading(classroom: Path) -> None:
    """A folder's time can repeat within a coarse tick (network shares): recent ones are re-read."""
    store = Store(classroom)
    index = RecordIndex(cache_dir() / "index", store)
    list(index.summaries())
    record = next(p for p in store.record_files() if 'trainee = "Sam Patel"' in p.read_text())
    folder_time = record.parent.stat().st_mtime_ns
    attempt = load_record(record)
    store.save(dataclasses.replace(attempt, trainee="Same Tick"), record.with_suffix(".wav"))
    os.utime(record.parent, ns=(folder_time, folder_time))  # the change landed in the same tick
    assert "Same Tick" in {s.trainee for s in index.summaries()}


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    """``voicemail-sim export | head``: the pipe closing is not an error of ours."""
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "simulator", "scenarios", "show", "cold-call"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the program has written anything
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0, errors
    assert "Traceback" not in errors and "BrokenPipeError" not in errors, errors


def test_a_word_count_the_coach_doubted_is_marked_not_sure_in_the_csv(tmp_path: Path) -> None:
    """The review said ⚠ "the count may be off: listen back": the spreadsheet must not show the count
    as a fact, and a take with no words recognised has no count to be sure of."""
    store = Store(tmp_path / "room")
    doubted = sample_attempt(1, scored(RaterKind.SELF, [1] * 9, 50.0), trainee="Laptop")
    caution = "only 18 of the 36 words heard for sure, so the count may be off: listen back"
    analysis = dataclasses.replace(
        doubted.analysis, words=36, hints={"word_count": Hint(None, "about 36 words; at most 35", caution)}
    )
    doubted = dataclasses.replace(doubted, analysis=analysis)
    silent = sample_attempt(2, scored(RaterKind.SELF, [1] * 9, 50.0), trainee="Silent")
    silent = dataclasses.replace(silent, analysis=dataclasses.replace(silent.analysis, words=None))
    for attempt in (doubted, silent):
        store.save(attempt, store.new_take_path(attempt.trainee, "cold-call", attempt.started_at, attempt.id))
    buffer = io.StringIO()
    summaries = [attempt_summary(load_record(path)) for path in sorted(store.recordings.rglob("*.toml"))]
    write_csv(summaries, Filters(), [RatingColumn(c) for c in COLD], buffer)
    rows = {r["trainee"]: r for r in read_csv(buffer.getvalue())}
    assert (rows["Laptop"]["words"], rows["Laptop"]["words_sure"]) == ("36", "no")
    assert (rows["Silent"]["words"], rows["Silent"]["words_sure"]) == ("", "")


def test_a_criterion_on_two_scales_is_a_column_per_scenario(tmp_path: Path) -> None:
    """Walked: "Number slowly" held 0-2 levels for cold calls and yes/no for confirmations in one
    column, under the id, not the label; a spreadsheet's average of it meant nothing."""
    library = load_library([shipped_scenarios_dir()])
    confirmation = {"intro": 2, "meeting-details": 2, "value-of-meeting": 1, "how-to-reschedule": 1,
                    "number-slowly": 1, "tone": 2, "brevity": 0}  # fmt: skip
    cold = sample_attempt(1, scored(RaterKind.SELF, [2, 1, 1, 1, 1, 2, 1, 2, 1], 90.0), trainee="Sam")
    meeting = dataclasses.replace(
        sample_attempt(2, trainee="Priya"),
        scenario_id="meeting-confirmation",
        assessments=(ScoredAssessment(Assessment(Rater(RaterKind.SELF), confirmation), 80.0,
                                      TimingVerdict.WITHIN_TARGET),),
    )  # fmt: skip
    summaries = [attempt_summary(a) for a in (cold, meeting)]
    buffer = io.StringIO()
    assert export_csv(lambda: summaries, Filters(), library, buffer) == 2
    rows = {r["trainee"]: r for r in read_csv(buffer.getvalue())}
    header = list(rows["Sam"])
    assert "number-slowly" not in header and "Number slowly" not in header
    by_cold, by_meeting = "Number she can write down (cold-call)", "Number, slowly (meeting-confirmation)"
    assert (rows["Sam"][by_cold], rows["Sam"][by_meeting]) == ("2", "")
    assert (rows["Priya"][by_cold], rows["Priya"][by_meeting]) == ("", "yes")
    # one scale everywhere: one column, labelled as each scenario labels it or by its id written out
    assert rows["Sam"]["Three-part intro"] == "2" and rows["Priya"]["Three-part intro"] == ""
    assert (rows["Sam"]["Tone"], rows["Priya"]["Tone"]) == ("2", "2")
    assert (rows["Sam"]["Brevity"], rows["Priya"]["Brevity"]) == ("yes", "no")


def test_the_campaign_report_scores_the_take_that_counts() -> None:
    """Walked: a retake of step 2 scored 50 beside the take it replaced at 100, and the trainee picked
    the 100 one; the campaign showed 100, the report averaged both. It now shows the counted take."""

    def step_take(n: int, step: int, score: float, chosen_days: int | None = None) -> AttemptSummary:
        own = ScoredAssessment(
            Assessment(Rater(RaterKind.SELF, "Asha"), {}), score, TimingVerdict.WITHIN_TARGET
        )
        attempt = dataclasses.replace(
            sample_attempt(n, own, trainee="Asha", days=n),
            campaign_id="friday-monday",
            campaign_step=step,
            chosen_at=None if chosen_days is None else FIXED_START + timedelta(days=chosen_days),
        )
        return attempt_summary(attempt)

    picked_back = [step_take(1, 1, 80), step_take(2, 2, 100, chosen_days=4), step_take(3, 2, 50)]
    report = build_report(picked_back)
    assert campaign_rows(report.campaigns) == [
        ("Asha", "friday-monday", "2 of 2", "1: 80  2: 100 (of 2)", "-")
    ]
    latest = build_report([step_take(1, 1, 80), step_take(2, 2, 100, chosen_days=2), step_take(3, 2, 50)])
    assert campaign_rows(latest.campaigns)[0][3] == "1: 80  2: 50 (of 2)"  # retaken after the pick


def test_the_report_s_average_length_is_the_message_the_target_judges() -> None:
    """Walked: the report read "avg length 23.3 s" for a take whose Results, history and timeline
    said 14.9 s to the last word: the recording's 8 s of silence at the end counted."""
    attempt = sample_attempt(1, scored(RaterKind.SELF, [2, 2, 1, 1, 1, 2, 1, 2, 1], 90.0), trainee="Sam")
    measured = dataclasses.replace(analysis_with(30, duration_s=23.3), measurements=dataclasses.replace(
        analysis_with(30, duration_s=23.3).measurements, trail_silence_s=8.4))  # fmt: skip
    take = dataclasses.replace(attempt, duration_s=23.3, analysis=measured)
    summary = attempt_summary(take)
    assert summary.message_s == pytest.approx(14.9) and summary.duration_s == 23.3
    assert AttemptSummary.from_json(summary.to_json()) == summary
    line = build_report([summary]).scenarios["cold-call"]
    assert line.lengths == [pytest.approx(14.9)]
