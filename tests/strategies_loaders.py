"""Hypothesis strategies for the loaders: valid scenarios under the text rules, and broken files."""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

from simulator.scenarios import (
    HINT_IDS,
    Brief,
    Criterion,
    Prospect,
    Rubric,
    Scale,
    Scenario,
    ScenarioKind,
    Targets,
    Voice,
)

from .strategies import positive, slugs

_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _visible(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "LNPS" for c in text)


# One-line text (titles, names, labels): no controls, no invisible format characters but joiners.
one_line_texts = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp"))
        | st.sampled_from("\u200c\u200d\"'\\ "),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(_visible)
)
# Prose (greetings, guidance): newlines and tabs too, and format characters other than bidi controls.
prose_texts = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters=_BIDI)
        | st.sampled_from("\n\t\"'\\"),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(_visible)
)
optional_one_line = st.one_of(st.just(""), one_line_texts)
optional_prose = st.one_of(st.just(""), prose_texts)
languages = st.from_regex(r"[a-z]{2,3}([-_][A-Za-z0-9]{1,8}){0,3}", fullmatch=True)
weights = st.floats(min_value=0.01, max_value=1000, allow_nan=False, allow_infinity=False)


@st.composite
def _criteria(draw: st.DrawFn, criterion_id: str) -> Criterion:
    scale = draw(st.sampled_from(list(Scale)))
    levels = len(scale.levels)
    anchors = draw(
        st.one_of(st.just(()), st.tuples(*[prose_texts] * levels))
        if scale is Scale.YES_NO
        else st.tuples(*[prose_texts] * levels)
    )
    return Criterion(
        id=criterion_id,
        label=draw(one_line_texts),
        question=draw(prose_texts),
        guidance=draw(prose_texts),
        weight=draw(weights),
        scale=scale,
        anchors=anchors,
        hints=tuple(draw(st.lists(st.sampled_from(HINT_IDS), max_size=3, unique=True))),
        sources=tuple(draw(st.lists(one_line_texts, max_size=2))),
    )


@st.composite
def valid_scenarios(draw: st.DrawFn) -> Scenario:
    """Scenarios the loader must accept: every text field within the rules for its kind."""
    ids = draw(st.lists(slugs, min_size=1, max_size=5, unique=True))
    low, high = sorted(draw(st.tuples(positive, positive)))
    hard = high + draw(st.floats(min_value=0, max_value=120))
    return Scenario(
        id=draw(slugs),
        version=draw(st.integers(min_value=1, max_value=10_000)),
        title=draw(one_line_texts),
        kind=draw(st.sampled_from(list(ScenarioKind))),
        brief=Brief(
            caller_role=draw(one_line_texts),
            company=draw(one_line_texts),
            offer=draw(prose_texts),
            situation=draw(prose_texts),
            history=draw(optional_prose),
            goal=draw(prose_texts),
            callback_number=draw(optional_one_line),
            email=draw(optional_one_line),
            caller=draw(optional_one_line),
            meeting_day=draw(st.sampled_from(["", "Thursday", "Monday"])),
        ),
        prospect=Prospect(
            name=draw(one_line_texts),
            role=draw(one_line_texts),
            company=draw(one_line_texts),
            greeting=draw(prose_texts),
            voice=Voice(
                gender=draw(st.sampled_from(["female", "male"])),
                language=draw(languages),
                rate=draw(st.integers(min_value=80, max_value=400)),
                variant=draw(st.sampled_from(["", "f2", "m3"])),
            ),
        ),
        targets=Targets(low, high, hard, draw(st.integers(min_value=1, max_value=500))),
        rubric=Rubric(tuple(draw(_criteria(i)) for i in ids)),
        model_message=draw(prose_texts),
    )


# -- broken files -----------------------------------------------------------------------------------
def _nested(depth: int, inline: bool) -> str:
    return "{a = " * depth + "1" + "}" * depth if inline else "[" * depth + "]" * depth


# Characters that must never reach a terminal from a file, written as TOML escapes.
_CONTROL_ESCAPES = st.sampled_from(
    ["\\u0000", "\\u001b[2J", "\\u001b]0;x\\u0007", "\\u007f", "\\u0085", "\\u009b", "\\u202e", "\\r", "\\b"]
)

# TOML value literals that are well-formed but wrong somewhere, or pathological.
wrong_values = st.one_of(
    st.builds(_nested, st.integers(min_value=1, max_value=1500), st.booleans()),
    st.integers(min_value=1, max_value=6000).map(lambda n: "9" * n),
    st.integers(min_value=1, max_value=6000).map(lambda n: "-0x" + "f" * n if n % 2 else "0x" + "f" * n),
    st.sampled_from(["inf", "-inf", "nan", "1e308", "-1e308", "1.7e308", "0", "-0.0", "0.000001"]),
    st.sampled_from(["true", "1979-05-27T07:32:00Z", "07:32:00", "1979-05-27", "[]", "{}", '""', '" "']),
    st.sampled_from(['"--help"', '"\\u200b"', '"\\u200b\\u200d\\u2060"', '"en gb"', '"EN-GB"']),
    st.builds(
        lambda a, b: f'"{a}{b}"',
        st.text(max_size=5).map(lambda s: s.replace("\\", "").replace('"', "")),
        _CONTROL_ESCAPES,
    ),
    st.integers(min_value=0, max_value=200_000).map(lambda n: '"' + "x" * n + '"'),
    st.lists(st.integers(-(2**70), 2**70).map(str), max_size=4).map(lambda v: "[" + ", ".join(v) + "]"),
)
key_names = st.one_of(
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,12}", fullmatch=True),
    st.sampled_from(['"\\u001b[2J"', '"a.b"', '"x"', "name", "weight", "language", "title"]),
)


@st.composite
def mutated_scenario_texts(draw: st.DrawFn, base: str) -> str:
    """``base`` with a few lines replaced or added: wrong values, unknown keys, stray text."""
    lines = base.splitlines()
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        action = draw(st.sampled_from(["replace", "insert", "raw"]))
        assignments = [i for i, line in enumerate(lines) if " = " in line and not line.startswith(" ")]
        if action == "replace" and assignments:
            index = draw(st.sampled_from(assignments))
            key = lines[index].split(" = ", 1)[0]
            lines[index] = f"{key} = {draw(wrong_values)}"
        elif action == "insert":
            index = draw(st.integers(min_value=0, max_value=len(lines)))
            lines.insert(index, f"{draw(key_names)} = {draw(wrong_values)}")
        else:
            index = draw(st.integers(min_value=0, max_value=len(lines)))
            lines.insert(index, draw(st.text(max_size=30)))
    return "\n".join(lines) + "\n"


names_with_trouble = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        ["Ann", "ANN", "Chlo\u00e9", "Chloe\u0301", "An\u200bn", "\u200b", "\x1b[2JAnn", "Ann\x00"]
    ),
)


@st.composite
def toml_rosters(draw: st.DrawFn) -> str:
    """Roster files in either TOML form, with wrong shapes and troublesome names mixed in."""
    shape = draw(st.sampled_from(["list", "tables", "value"]))
    if shape == "value":
        return f"{draw(st.sampled_from(['trainees', 'trainee', 'people']))} = {draw(wrong_values)}\n"
    items = draw(st.lists(names_with_trouble, max_size=6))
    if shape == "list":
        body = ",\n".join(_toml_string(n) for n in items)
        return f"trainees = [\n{body}\n]\n"
    return "".join(f"[[trainee]]\nname = {_toml_string(n)}\n" for n in items)


def _toml_string(text: str) -> str:
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\U{ord(c):08x}" for c in text) + '"'
