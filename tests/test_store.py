"""The recordings folder: safe trainee folders, records that round-trip, atomic and concurrent saves."""

from __future__ import annotations

import dataclasses
import multiprocessing
import tomllib
import unicodedata
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.attempts import Attempt
from simulator.names import normalise_name, terminal_safe
from simulator.records import RecordError, attempt_from_dict, attempt_to_dict, load_record
from simulator.store import Store, list_attempts, slugify

from .app_support import FIXED_START
from .strategies import attempts, names


@given(names)
def test_slug_is_safe_on_every_file_system(name: str) -> None:
    slug = slugify(name)
    assert slug and slug not in {".", ".."}
    assert not any(ch in slug for ch in '/\\:*?"<>|\0')
    assert not slug.startswith(("-", "."))
    assert len(slug.encode()) <= 80
    assert slug.split("-")[0] not in {"con", "prn", "aux", "nul"} or len(slug.split("-")) > 1
    assert unicodedata.normalize("NFC", slug) == slug


@given(names, names)
def test_different_names_never_share_a_folder(first: str, second: str) -> None:
    if normalise_name(first) != normalise_name(second):
        assert slugify(first) != slugify(second)


def test_names_that_look_the_same_are_one_trainee(tmp_path: Path) -> None:
    """Composed or decomposed accents, a zero-width space, doubled spaces: one trainee, one folder."""
    spellings = ["Zoë O'Neil", "Zoe\u0308 O'Neil", "Zo\u200bë  O'Neil", " Zoë O'Neil\ufeff"]
    assert len({slugify(name) for name in spellings}) == 1
    store = Store(tmp_path)
    for n, name in enumerate(spellings):
        attempt = dataclasses.replace(_attempt(n, name), trainee=name)
        store.save(attempt, store.new_take_path(name, "cold-call", FIXED_START, attempt.id))
    assert {a.trainee for a in list_attempts([store]).attempts} == {"Zoë O'Neil"}


@given(names, st.sampled_from(["cold-call", "../../etc", "a/b"]))
def test_take_paths_stay_inside_the_recordings_folder(tmp_path_factory, name: str, scenario: str) -> None:  # type: ignore[no-untyped-def]
    store = Store(tmp_path_factory.getbasetemp() / "store")
    path = store.take_path(name, scenario, FIXED_START, "0123456789abcdef")
    assert store.recordings.resolve() in path.resolve().parents
    assert path.parent.parent.parent == store.recordings


def test_names_stay_recognisable() -> None:
    assert slugify("sam") == "sam"
    assert slugify("Zoë O'Neil").startswith("zoë-o-neil-")
    assert slugify("李小龍").startswith("李小龍")
    assert slugify("../../etc/passwd").startswith("etc-passwd-")
    assert slugify("CON").startswith("con-x-")
    assert slugify("Ann Lee") != slugify("ann-lee") == "ann-lee"


@settings(max_examples=150, deadline=None)
@given(attempts())
def test_record_round_trip(attempt: Attempt) -> None:
    text = tomli_w.dumps(attempt_to_dict(attempt))
    # a name is read back in its one spelling (NFC, no invisible characters)
    assert attempt_from_dict(tomllib.loads(text)) == dataclasses.replace(
        attempt, trainee=terminal_safe(normalise_name(attempt.trainee))
    )


def _attempt(n: int, trainee: str = "Sam") -> Attempt:
    return Attempt(
        id=f"{n:032x}",
        trainee=trainee,
        scenario_id="cold-call",
        scenario_title="Cold call",
        scenario_version=1,
        started_at=FIXED_START,
        duration_s=20.0,
        audio_file=f"take-{n}.wav",
    )


def test_corrupt_records_are_reported_and_skipped(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save(_attempt(1), store.recordings / "sam" / "a.wav")
    broken = store.recordings / "sam" / "b.toml"
    broken.write_text("id = [")
    wrong = store.recordings / "sam" / "c.toml"
    wrong.write_text('schema_version = 1\nid = "x"\n')
    listing = list_attempts([store])
    assert [a.id for a in listing.attempts] == [f"{1:032x}"]
    assert {p.path for p in listing.problems} == {broken, wrong}
    assert all(str(p).startswith(str(p.path)) for p in listing.problems)
    with pytest.raises(RecordError, match="not valid TOML"):
        load_record(broken)


def test_the_same_attempt_in_two_folders_counts_once(tmp_path: Path) -> None:
    first, second = Store(tmp_path / "one"), Store(tmp_path / "two")
    first.save(_attempt(1), first.recordings / "a.wav")
    second.save(_attempt(1), second.recordings / "a.wav")
    second.save(_attempt(2), second.recordings / "b.wav")
    assert len(list_attempts([first, second]).attempts) == 2


def test_saving_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path)
    path = store.save(_attempt(1), store.recordings / "a.wav")
    original = path.read_text()

    def failing_dumps(*args: object, **kwargs: object) -> str:
        raise OSError("disk full")

    from simulator import fileio

    monkeypatch.setattr(fileio.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError, match="disk full"):
        store.save(_attempt(1, trainee="Someone else"), store.recordings / "a.wav")
    assert path.read_text() == original
    assert [p.name for p in path.parent.iterdir()] == ["a.toml"]  # no temporary file left behind


def _save_many(folder: str, worker: int, count: int) -> None:
    store = Store(Path(folder))
    for n in range(count):
        attempt = _attempt(worker * 10_000 + n, trainee="Sam")
        path = store.new_take_path(attempt.trainee, attempt.scenario_id, attempt.started_at, attempt.id)
        store.save(attempt, path)


def test_two_processes_saving_into_one_folder(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    # the same trainee name, the same second, ids sharing their first characters: only the
    # exclusive reservation of each file keeps the 80 attempts apart
    workers = [context.Process(target=_save_many, args=(str(tmp_path), w, 40)) for w in (1, 2)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(60)
        assert process.exitcode == 0
    listing = list_attempts([Store(tmp_path)])
    assert not listing.problems
    assert len(listing.attempts) == 80
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_name_with_control_characters_never_reaches_a_terminal_raw(tmp_path: Path) -> None:
    """A hand-edited record whose name clears the screen (ESC [2J) is read with the escape shown."""
    store = Store(tmp_path)
    attempt = dataclasses.replace(_attempt(1), trainee="Sam\x1b[2J\x07")
    store.save(attempt, store.new_take_path("Sam", "cold-call", FIXED_START, attempt.id))
    (read,) = list_attempts([store]).attempts
    assert read.trainee == "Sam\\x1b[2J\\x07"
