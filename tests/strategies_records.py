"""Hypothesis strategies for record files as they are found on disk: sound, broken, or odd.

Each generated file says what it must become: ``"valid"`` (written by the program and untouched:
it must be exported), ``"invalid"`` (a corruption no reader may accept: it must be reported by
path) or ``"either"`` (junk in a random place, which may happen to be acceptable: it must be
exported or reported, never both, never neither).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any, Literal

import tomli_w
from hypothesis import strategies as st

from simulator.records import attempt_to_dict

from .strategies import attempts

Expectation = Literal["valid", "invalid", "either"]


@dataclass(frozen=True)
class RecordFile:
    text: str | bytes
    expect: Expectation
    why: str = ""  # the corruption, for hypothesis's report


def nested(depth: int) -> str:
    """An array ``depth`` levels deep, as TOML text (tomli_w would recurse as deep to write it)."""
    return "[" * depth + "]" * depth


_FAR_EAST = timezone(timedelta(hours=5))
_FAR_WEST = timezone(timedelta(hours=-5))
bad_floats = st.sampled_from([float("inf"), float("-inf"), float("nan")])
bad_moments = st.sampled_from(
    [
        datetime(1, 1, 1, tzinfo=_FAR_EAST),  # before year 1 in UTC
        datetime(9999, 12, 31, 23, 0, tzinfo=_FAR_WEST),  # after year 9999 in UTC
        datetime(2026, 1, 1),  # no timezone
        date(2026, 1, 1),
        time(10, 30),
    ]
)
junk = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(),
        st.text(max_size=8),
        bad_moments,
        st.datetimes(timezones=st.just(UTC)),
    ),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=6,
)


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value if v is not None]
    return value


# Corruptions no reader may accept: (where, what) pairs, ``where`` a path of keys into the record.
# ``"*"`` is the first assessment, added if the record has none.
_DEFINITELY_BAD: list[tuple[tuple[str, ...], st.SearchStrategy[Any]]] = [
    (("duration_s",), bad_floats),
    (("overflows",), bad_floats),
    (("started_at",), bad_moments),
    (("analysis",), st.text(max_size=8) | st.integers() | st.lists(st.integers(), max_size=2)),
    (("*", "score"), bad_floats),
    (("*", "ratings", "crit0"), bad_floats),
    (("*", "rater"), st.sampled_from(["boss", ""])),
    (("scenario",), st.text(max_size=8)),
    (("scenario", "version"), bad_floats | st.text(max_size=3)),
    (("id",), st.just("") | st.integers() | st.lists(st.integers(), max_size=2)),
    (("audio_file",), st.sampled_from(["", "../../elsewhere.wav", "a/b.wav", ".."])),
    (("assessment",), st.text(max_size=8)),
]
_TOP_KEYS = ["id", "trainee", "started_at", "duration_s", "overflows", "cut_off", "audio_file",
             "analysis", "scenario", "assessment", "drill_id", "notes", "schema_version"]  # fmt: skip


def _first_assessment(document: dict[str, Any]) -> dict[str, Any]:
    if not document["assessment"]:
        document["assessment"].append(
            {
                "rater": "self",
                "rater_name": "",
                "score": 50.0,
                "timing_verdict": "within target",
                "notes": "",
                "ratings": {"crit0": 1},
                "criterion_notes": {},
            }
        )
    return document["assessment"][0]


def _put(document: dict[str, Any], where: tuple[str, ...], value: Any) -> None:
    target: Any = document
    for key in where[:-1]:
        if key == "*":
            target = _first_assessment(target)
        else:
            if not isinstance(target.get(key), dict):
                target[key] = {}
            target = target[key]
    target[where[-1]] = value


@st.composite
def record_files(draw: st.DrawFn) -> RecordFile:
    document = attempt_to_dict(draw(attempts()))
    text = tomli_w.dumps(document)
    kind = draw(st.sampled_from(["valid", "definitely-bad", "junk", "missing", "text", "deep"]))
    if kind == "valid":
        return RecordFile(text, "valid")
    if kind == "definitely-bad":
        where, values = draw(st.sampled_from(_DEFINITELY_BAD))
        changed = copy.deepcopy(document)
        value = draw(values)
        _put(changed, where, value)
        return RecordFile(tomli_w.dumps(changed), "invalid", f"{'.'.join(where)} = {value!r}")
    if kind == "junk":
        changed = copy.deepcopy(document)
        where = draw(
            st.sampled_from(
                [(k,) for k in _TOP_KEYS]
                + [("scenario", "id"), ("scenario", "title"), ("*", "ratings", "crit0"), ("*", "notes"),
                   ("*", "rated_at"), ("*", "criterion_notes"), ("analysis", "words"), ("*", "rater_name")]
            )
        )  # fmt: skip
        value = _drop_none(draw(junk))
        if value is None:
            return RecordFile(text, "valid")
        _put(changed, where, value)
        return RecordFile(tomli_w.dumps(changed), "either", f"{'.'.join(where)} = {value!r}")
    if kind == "missing":
        key = draw(st.sampled_from(["id", "trainee", "started_at", "duration_s", "audio_file", "scenario"]))
        changed = {k: v for k, v in document.items() if k != key}
        return RecordFile(tomli_w.dumps(changed), "invalid", f"no {key}")
    if kind == "deep":
        depth = draw(st.sampled_from([40, 200, 3000]))
        return RecordFile(text + f"\n[analysis.deep]\nvalue = {nested(depth)}\n", "invalid", f"{depth} deep")
    # damaged text: cut short, binary junk, not UTF-8
    damage = draw(st.sampled_from(["cut", "binary", "latin-1"]))
    if damage == "cut":
        return RecordFile(text[: len(text) // 2] + "\nid = [", "invalid", "cut short")
    if damage == "binary":
        return RecordFile(b"\x00\xff\xfe" + text.encode(), "invalid", "binary")
    return RecordFile(
        text.replace("schema_version", "sch\xe9ma").encode("latin-1", "replace"), "invalid", "latin-1"
    )
