"""A record that cannot be read is reported by path with the reason, every time, and skipped; every
valid record is still exported, reported and listed. Assessments from two sessions both survive."""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import sqlite3
import stat
import tempfile
import threading
import time
import tomllib
from pathlib import Path

import numpy as np
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import fileio
from simulator.analysis.whisper import MODEL_ENV
from simulator.attempts import Assessment, Attempt, Rater, RaterKind, ScoredAssessment, TimingVerdict
from simulator.audio.base import Clip
from simulator.audio.recorder import Take
from simulator.cli import main
from simulator.export import neutralise
from simulator.fileio import describe_os_error
from simulator.locations import cache_dir, shipped_scenarios_dir
from simulator.practice import PracticeAttempt
from simulator.record_index import INDEX_FORMAT, RecordIndex, ScanResult
from simulator.records import attempt_to_dict, load_record
from simulator.scenario_loader import load_library
from simulator.store import Store, list_attempts

from .app_support import FIXED_START, sample_attempt
from .strategies_records import RecordFile, nested, record_files

COLD_CALL = load_library([shipped_scenarios_dir()]).get("cold-call")

# The six kinds of bad record measured in the issue, as (name, what goes wrong in the TOML text).
BAD_KINDS = {
    "rating-inf": lambda text: text.replace("crit0 = 1", "crit0 = inf"),
    "overflows-inf": lambda text: text.replace("overflows = 0", "overflows = inf"),
    "deeply-nested": lambda text: text + f"\n[analysis.deep]\nvalue = {nested(3000)}\n",
    "year-one": lambda text: re.sub(r"(?m)^started_at = .*$", "started_at = 0001-01-01T00:00:00+05:00", text),
    "analysis-text": lambda text: re.sub(r"\[analysis\]\nwords = \d+\n", "", text).replace(
        "[scenario]", 'analysis = "text"\n\n[scenario]'
    ),
    "duration-nan": lambda text: re.sub(r"(?m)^duration_s = .*$", "duration_s = nan", text),
}  # fmt: skip


def attempt(n: int, *assessments: ScoredAssessment, days: int = 0) -> Attempt:
    return sample_attempt(n, *assessments, days=days, title="Cold call")


def rated(kind: RaterKind = RaterKind.SELF, name: str = "", **ratings: int) -> ScoredAssessment:
    return ScoredAssessment(
        Assessment(Rater(kind, name), ratings or {"crit0": 1}), 50.0, TimingVerdict.WITHIN_TARGET
    )


def record_text(n: int, *assessments: ScoredAssessment) -> str:
    return tomli_w.dumps(attempt_to_dict(attempt(n, *(assessments or (rated(),)))))


def write(folder: Path, name: str, text: str | bytes) -> Path:
    """A record file in a trainee's day folder, the layout the program writes."""
    path = folder / "recordings" / "trainee" / "2026-11-23" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def exported_ids(fmt: str, out: str) -> list[str]:
    if fmt == "csv":
        return [row["attempt_id"] for row in csv.DictReader(io.StringIO(out))]
    return [a["id"] for a in tomllib.loads(out).get("attempt", [])]


@pytest.fixture
def room(tmp_path: Path) -> Path:
    """Two good records; tests add bad ones."""
    folder = tmp_path / "room"
    write(folder, "good-1.toml", record_text(1))
    write(folder, "good-2.toml", record_text(2))
    return folder


GOOD = [f"{1:032x}", f"{2:032x}"]


# -- each kind of bad record ------------------------------------------------------------------------
@pytest.mark.parametrize("kind", list(BAD_KINDS))
def test_a_bad_record_is_named_and_skipped_by_every_command(
    kind: str, room: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = BAD_KINDS[kind](record_text(3))
    assert text != record_text(3)
    bad = write(room, "bad.toml", text)
    for fmt in ("csv", "toml"):
        for warm in ("cold", "warm"):
            status, out, err = run(capsys, "export", "--format", fmt, str(room))
            assert status == 0
            assert sorted(exported_ids(fmt, out)) == GOOD, (fmt, warm)
            assert f"skipped: {bad}: " in err, (fmt, warm, err)
    for warm in ("cold", "warm"):
        status, out, err = run(capsys, "report", str(room))
        assert status == 0 and "Class report: 2 attempts" in out
        assert f"skipped: {bad}: " in err, (warm, err)
    status, _, err = run(capsys, "report", str(room), "--html", str(tmp_path / "r.html"))
    assert status == 0 and f"skipped: {bad}: " in err
    listing = list_attempts([Store(room)])
    assert sorted(a.id for a in listing.attempts) == GOOD
    assert [p.path for p in listing.problems] == [bad]


def test_the_reason_is_given(room: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reasons = {}
    for kind, damage in BAD_KINDS.items():
        path = write(room, f"{kind}.toml", damage(record_text(3)))
        reasons[kind] = next(str(p) for p in list_attempts([Store(room)]).problems if p.path == path)
        path.unlink()
    assert "ratings" in reasons["rating-inf"] and "overflows" in reasons["overflows-inf"]
    assert "nested" in reasons["deeply-nested"] and "started_at" in reasons["year-one"]
    assert "analysis" in reasons["analysis-text"] and "duration_s" in reasons["duration-nan"]


def test_no_nan_or_infinity_reaches_the_index(room: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(room, "nan.toml", BAD_KINDS["duration-nan"](record_text(3)))
    write(room, "inf.toml", record_text(4).replace("score = 50.0", "score = inf"))
    assert run(capsys, "report", str(room))[0] == 0
    index = RecordIndex(cache_dir() / "index", Store(room))
    with sqlite3.connect(index.path) as connection:
        rows = [r[0] for r in connection.execute(f"SELECT summary FROM records_v{INDEX_FORMAT}")]
    assert len(rows) == 2 and not any("NaN" in r or "Infinity" in r for r in rows)


def test_an_index_holding_bad_data_recovers(room: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An index written by an older version (NaN in a summary) stops nothing; --rescan mends it."""
    assert run(capsys, "report", str(room))[0] == 0
    index = RecordIndex(cache_dir() / "index", Store(room))
    with sqlite3.connect(index.path) as connection:
        connection.execute(f"UPDATE records_v{INDEX_FORMAT} SET summary = replace(summary, '21.0', 'NaN')")
    status, out, err = run(capsys, "report", str(room))
    assert status == 0 and "Class report: 2 attempts" in out, err
    status, out, _ = run(capsys, "export", "--format", "csv", "--rescan", str(room))
    assert status == 0 and sorted(exported_ids("csv", out)) == GOOD
    with sqlite3.connect(index.path) as connection:
        rows = [r[0] for r in connection.execute(f"SELECT summary FROM records_v{INDEX_FORMAT}")]
    assert len(rows) == 2 and not any("NaN" in r for r in rows)


def test_an_index_summary_of_the_wrong_shape_is_read_again_from_its_record(
    room: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Valid JSON that is not a summary (a key renamed by hand, a rater no version knows) is
    treated as damage: the record is read again, and the report counts every attempt."""
    assert run(capsys, "report", str(room))[0] == 0
    index = RecordIndex(cache_dir() / "index", Store(room))
    with sqlite3.connect(index.path) as connection:
        first, second = [r[0] for r in connection.execute(f"SELECT path FROM records_v{INDEX_FORMAT}")]
        update = f"UPDATE records_v{INDEX_FORMAT} SET summary = replace(summary, ?, ?) WHERE path = ?"
        connection.execute(update, ('"trainee"', '"trainer"', first))
        connection.execute(update, ('"rater": "self"', '"rater": "robot"', second))
    assert sorted(s.id for s in index.summaries()) == GOOD
    status, out, err = run(capsys, "report", str(room))
    assert status == 0 and "Class report: 2 attempts" in out and "skipped" not in err, err


def test_a_full_cache_disk_stops_no_report(
    room: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index lives in the cache folder: when its disk fills while it is brought up to date
    (SQLite: "database or disk is full"), the records are read as they are, every bad one named."""
    write(room, "bad.toml", "id = [")

    def disk_full(*args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(RecordIndex, "refresh", disk_full)
    status, out, err = run(capsys, "export", "--format", "csv", str(room))
    assert status == 0 and sorted(exported_ids("csv", out)) == GOOD
    assert err.count("bad.toml") == 1, err


def settle(room: Path) -> None:
    """Date the folders an hour back: the index then trusts their times and skips them when warm
    (a folder changed within two seconds of its reading would be read again anyway)."""
    past = time.time_ns() - 3600 * 10**9
    for folder in [room / "recordings", *(p for p in (room / "recordings").rglob("*") if p.is_dir())]:
        os.utime(folder, ns=(past, past))


def test_a_bad_record_is_reported_again_once_the_index_is_warm(room: Path) -> None:
    bad = write(room, "bad.toml", "id = [")
    settle(room)
    index = RecordIndex(cache_dir() / "index", Store(room))
    for _ in range(3):
        result = ScanResult()
        assert sorted(s.id for s in index.summaries(result)) == GOOD
        assert [p.path for p in result.problems] == [bad]
    bad.write_text(record_text(3))
    os.utime(bad.parent)  # as the program's save, renaming into place, would
    result = ScanResult()
    assert len(list(index.summaries(result))) == 3 and not result.problems


def test_csv_export_names_bad_records_on_a_cold_index(room: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(room, "bad.toml", "id = [")
    settle(room)
    status, out, err = run(capsys, "export", "--format", "csv", str(room))
    assert status == 0 and sorted(exported_ids("csv", out)) == GOOD
    assert err.count(f"skipped: {bad}: ") == 1  # once, though the export reads the records twice


# -- duplicates and folders that look like records -------------------------------------------------
def test_a_duplicate_id_names_both_files(room: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = write(room, "zz-copy.toml", record_text(1))
    first = room / "recordings" / "trainee" / "2026-11-23" / "good-1.toml"
    listing = list_attempts([Store(room)])
    assert sorted(a.id for a in listing.attempts) == GOOD and listing.paths[GOOD[0]] == first
    [problem] = listing.problems
    assert problem.path == copy and str(first) in str(problem)
    for argv in (["export", "--format", "csv"], ["export"], ["report"]):
        status, _, err = run(capsys, *argv, str(room))
        assert status == 0
        [line] = [line for line in err.splitlines() if line.startswith("skipped:")]
        assert str(copy) in line and str(first) in line


def test_a_folder_named_like_a_record_is_reported(room: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Decision: a folder called ``x.toml`` among the records is reported as "not a record file"
    (someone put it there, perhaps by mistake), not silently ignored."""
    fake = room / "recordings" / "trainee" / "2026-11-23" / "fake.toml"
    fake.mkdir()
    listing = list_attempts([Store(room)])
    assert sorted(a.id for a in listing.attempts) == GOOD
    assert [p.path for p in listing.problems] == [fake] and "folder" in str(listing.problems[0])
    for argv in (["export", "--format", "csv"], ["export"], ["report"], ["report"]):
        status, _, err = run(capsys, *argv, str(room))
        assert status == 0 and f"skipped: {fake}: " in err and "folder" in err


# -- the CSV, the record's mode ----------------------------------------------------------------------
def test_rating_names_in_the_csv_header_are_neutralised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    room = tmp_path / "room"
    write(room, "a.toml", record_text(1, rated(**{"=crit0": 2, "plain": 1})))
    status, out, _ = run(capsys, "export", "--format", "csv", str(room))
    assert status == 0
    header = next(csv.reader(io.StringIO(out)))
    assert "'=crit0" in header and "=crit0" not in header
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert row["'=crit0"] == "2" and row["plain"] == "1"


def test_the_attempt_id_cell_is_neutralised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    room = tmp_path / "room"
    write(room, "a.toml", record_text(1).replace(f'id = "{1:032x}"', 'id = "=HYPERLINK(1)"'))
    status, out, _ = run(capsys, "export", "--format", "csv", str(room))
    assert status == 0 and exported_ids("csv", out) == [neutralise("=HYPERLINK(1)")]


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_records_get_the_same_mode_as_takes(tmp_path: Path, umask: int) -> None:
    store = Store(tmp_path)
    previous = os.umask(umask)
    try:
        take = store.new_take_path("Sam", "cold-call", FIXED_START, "0" * 32)
        record = store.save(attempt(1), take)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(record.stat().st_mode) == stat.S_IMODE(take.stat().st_mode) == 0o644 & ~umask


# -- two sessions assessing one attempt --------------------------------------------------------------
def saved_practice(tmp_path: Path) -> tuple[Store, Path]:
    store = Store(tmp_path / "data")
    take = store.new_take_path("Sam Patel", "cold-call", FIXED_START, "a" * 32)
    base = attempt(1)
    base = Attempt(**{**base.__dict__, "id": "a" * 32, "audio_file": take.name, "trainee": "Sam Patel"})
    return store, store.save(base, take)


def levels(level: int) -> dict[str, int]:
    return {c.id: min(level, c.scale.top) for c in COLD_CALL.rubric.criteria}


def test_two_sessions_assessing_one_attempt_keep_both_assessments(tmp_path: Path) -> None:
    store, record = saved_practice(tmp_path)
    instructor_session = PracticeAttempt.from_record(store, COLD_CALL, record)
    peer_session = PracticeAttempt.from_record(store, COLD_CALL, record)  # opened before the instructor saved
    instructor = Rater(RaterKind.INSTRUCTOR, "Ms Hall")
    peer = Rater(RaterKind.PEER, "Jo")
    instructor_session.assess(Assessment(instructor, levels(2)))
    peer_session.assess(Assessment(peer, levels(0)))
    saved = load_record(record)
    assert [s.assessment.rater for s in saved.assessments] == [instructor, peer]
    assert peer_session.attempt is not None and len(peer_session.attempt.assessments) == 2
    # a rater's newer assessment still replaces their own older one, and only that
    instructor_session.assess(Assessment(instructor, levels(1)))
    saved = load_record(record)
    assert [s.assessment.rater for s in saved.assessments] == [peer, instructor]
    assert saved.by(RaterKind.INSTRUCTOR)[0].assessment.ratings == levels(1)


def test_an_assessment_waits_for_the_record_lock(tmp_path: Path) -> None:
    """The lock is a file lock (flock): another process holding it makes the save wait."""
    from simulator.store import record_lock

    store, record = saved_practice(tmp_path)
    session = PracticeAttempt.from_record(store, COLD_CALL, record)
    done = threading.Event()
    with record_lock(record):  # a separate open file: as another process's lock would be
        thread = threading.Thread(
            target=lambda: (session.assess(Assessment(Rater(RaterKind.PEER, "Jo"), levels(1))), done.set())
        )
        thread.start()
        time.sleep(0.3)
        assert not done.is_set() and not load_record(record).assessments
    thread.join(10)
    assert done.is_set() and len(load_record(record).assessments) == 1


# -- a full disk --------------------------------------------------------------------------------------
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fileio.os, "fsync", no_space)


def fresh_practice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, frames: int
) -> tuple[PracticeAttempt, Take]:
    monkeypatch.setenv(MODEL_ENV, str(tmp_path))  # no recogniser: quick, and nothing else to wait for
    practice = PracticeAttempt(Store(tmp_path / "data"), COLD_CALL, "Sam Patel")
    practice.started_at = FIXED_START
    practice.audio_path = practice.store.new_take_path("Sam Patel", "cold-call", FIXED_START, practice.id)
    if frames:
        Clip(np.full(frames, 0.1, dtype=np.float32), 16_000).save(practice.audio_path)
    return practice, Take(practice.audio_path, 16_000, frames, 0, False, frames / 16_000)


def test_a_full_disk_at_the_stop_keeps_the_take_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    practice, take = fresh_practice(tmp_path, monkeypatch, 16_000)
    full_disk(monkeypatch)
    with pytest.raises(OSError) as raised:
        practice.finish(take)
    assert raised.value.errno == errno.ENOSPC
    assert describe_os_error(raised.value).startswith("The disk is full")
    assert str(take.path) in str(raised.value)  # where the take is kept
    assert take.path.stat().st_size > 0 and not practice.store.record_path(take.path).exists()
    monkeypatch.undo()  # space again: the next save writes the whole record
    practice.assess(Assessment(Rater(RaterKind.SELF, "Sam Patel"), levels(1)))
    saved = load_record(practice.store.record_path(take.path))
    assert saved.duration_s == 1.0 and len(saved.assessments) == 1


def test_an_empty_take_is_removed_with_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    practice, take = fresh_practice(tmp_path, monkeypatch, 0)
    assert take.path.stat().st_size == 0
    full_disk(monkeypatch)
    with pytest.raises(OSError) as raised:
        practice.finish(take)
    assert "no audio" in str(raised.value)
    assert not take.path.exists() and not list(take.path.parent.iterdir())


def test_words_and_assessments_on_a_full_disk_raise_oserror_and_lose_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    practice, take = fresh_practice(tmp_path, monkeypatch, 16_000)
    practice.finish(take)
    record = practice.store.record_path(take.path)
    before = record.read_bytes()
    practice.hearing = True
    monkeypatch.setattr(practice, "_transcript", lambda: None)
    full_disk(monkeypatch)
    with pytest.raises(OSError) as raised:
        practice.hear_words()
    assert raised.value.errno == errno.ENOSPC and not practice.hearing
    with pytest.raises(OSError) as raised:
        practice.assess(Assessment(Rater(RaterKind.SELF, "Sam Patel"), levels(1)))
    assert raised.value.errno == errno.ENOSPC
    assert record.read_bytes() == before and not list(record.parent.glob("*.tmp"))
    monkeypatch.undo()
    practice.assess(Assessment(Rater(RaterKind.SELF, "Sam Patel"), levels(2)))
    saved = load_record(record)
    assert [s.assessment.ratings for s in saved.assessments] == [levels(2)]


# -- whatever is in the folder -----------------------------------------------------------------------
def check_folder(files: list[RecordFile], capsys: pytest.CaptureFixture[str]) -> None:
    with tempfile.TemporaryDirectory() as name:
        room = Path(name)
        paths = [write(room, f"{n:03d}.toml", f.text) for n, f in enumerate(files)]
        settle(room)  # so that the warm runs below use what the index remembers
        ids = {}
        for path, f in zip(paths, files, strict=True):
            if f.expect == "valid":
                ids[path] = tomllib.loads(f.text)["id"]  # type: ignore[arg-type]
        listing = list_attempts([Store(room)])
        listed = set(listing.paths.values())
        reported = {p.path for p in listing.problems}
        for path, f in zip(paths, files, strict=True):
            assert (path in listed) != (path in reported), (path.name, f.why, listing.problems)
            if f.expect == "valid":
                assert path in listed, (path.name, listing.problems)
            if f.expect == "invalid":
                assert path in reported, (path.name, f.why)
        id_of = {p: i for i, p in listing.paths.items()}
        for run_ in ("cold", "warm"):
            for fmt in ("csv", "toml"):
                every = ["--unassessed"] if fmt == "csv" else []  # CSV: unassessed takes are opt-in
                status, out, err = run(capsys, "export", "--format", fmt, *every, str(room))
                assert status == 0, err
                exported = set(exported_ids(fmt, out))
                shown = neutralise if fmt == "csv" else str
                for path, f in zip(paths, files, strict=True):
                    named = f"skipped: {path}: " in err
                    if path in listed:
                        assert shown(id_of[path]) in exported and not named, (fmt, run_, path.name, err)
                    else:
                        assert named, (fmt, run_, path.name, f.why, err)
                assert {shown(i) for i in ids.values()} <= exported
            status, out, err = run(capsys, "report", str(room))
            assert status == 0, err
            for path in reported:
                assert f"skipped: {path}: " in err
        status, _, err = run(capsys, "report", str(room), "--html", str(room / "report.html"))
        assert status == 0, err


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(record_files(), min_size=1, max_size=6))
def test_no_folder_of_records_stops_a_command(
    files: list[RecordFile], capsys: pytest.CaptureFixture[str]
) -> None:
    check_folder(files, capsys)


def test_tables_nested_deep_by_their_headers_are_refused(room: Path) -> None:
    """``[analysis.a.a.a...]`` builds deep tables without tomllib recursing: the depth is checked."""
    path = write(room, "deep.toml", record_text(3) + "\n[analysis" + ".a" * 2000 + "]\nx = 1\n")
    [problem] = list_attempts([Store(room)]).problems
    assert problem.path == path and "nested" in str(problem)


def _with_analysis(record: Path, analysis: dict[str, object]) -> None:
    document = tomllib.loads(record.read_text(encoding="utf-8"))
    record.write_text(tomli_w.dumps({**document, "analysis": analysis}), encoding="utf-8")


def test_an_analysis_of_the_wrong_kinds_is_named_and_an_older_one_still_opens(tmp_path: Path) -> None:
    """The analysis is a typed record: measurements of the wrong kinds make the record one that
    cannot be read (named, with the key); an older record without hints or pitch still opens and
    its hints are worked out again from the measurements (a resumed drill)."""
    store, record = saved_practice(tmp_path)
    measured = {"duration_s": 9.0, "lead_silence_s": 0.5, "trail_silence_s": 0.5, "speech_s": 8.0,
                "pauses": "many", "longest_pause_s": 0.4, "rms_dbfs": -20.0, "peak_dbfs": -3.0,
                "too_quiet": False, "clipping": False, "has_speech": True}  # fmt: skip
    _with_analysis(record, {**measured, "hints": "all good"})
    (problem,) = list_attempts([store]).problems
    assert problem.path == record and "analysis.pauses" in str(problem)
    _with_analysis(record, {**measured, "pauses": 1, "hints": [1]})
    assert "analysis.hints" in str(list_attempts([store]).problems[0])
    _with_analysis(record, {**measured, "pauses": 1})
    practice = PracticeAttempt.from_record(store, COLD_CALL, record)
    assert practice.measurements is not None and practice.measurements.pauses == 1
    assert practice.hints  # worked out again from the measurements
