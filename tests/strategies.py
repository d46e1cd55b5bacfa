"""Hypothesis strategies for the domain's values."""

from __future__ import annotations

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

slugs = st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)
# Stripped, non-empty text, including quotes, backslashes, newlines and non-ASCII.
texts = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x7f")
        | st.sampled_from("\n\t\"'\\"),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
optional_texts = st.one_of(st.just(""), texts)
positive = st.floats(min_value=0.5, max_value=600, allow_nan=False, allow_infinity=False)


@st.composite
def criteria(draw: st.DrawFn, criterion_id: str) -> Criterion:
    scale = draw(st.sampled_from(list(Scale)))
    anchors = draw(
        st.one_of(st.just(()), st.tuples(*[texts] * len(scale.levels)))
        if scale is Scale.YES_NO
        else st.tuples(*[texts] * len(scale.levels))
    )
    return Criterion(
        id=criterion_id,
        label=draw(texts),
        question=draw(texts),
        guidance=draw(texts),
        weight=draw(positive),
        scale=scale,
        anchors=anchors,
        hints=tuple(draw(st.lists(st.sampled_from(HINT_IDS), max_size=3, unique=True))),
        sources=tuple(draw(st.lists(texts, max_size=2))),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    ids = draw(st.lists(slugs, min_size=1, max_size=5, unique=True))
    low, high = sorted(draw(st.tuples(positive, positive)))
    hard = high + draw(st.floats(min_value=0, max_value=120))
    return Scenario(
        id=draw(slugs),
        version=draw(st.integers(min_value=1, max_value=10_000)),
        title=draw(texts),
        kind=draw(st.sampled_from(list(ScenarioKind))),
        brief=Brief(
            caller_role=draw(texts),
            company=draw(texts),
            offer=draw(texts),
            situation=draw(texts),
            history=draw(optional_texts),
            goal=draw(texts),
            callback_number=draw(optional_texts),
            email=draw(optional_texts),
        ),
        prospect=Prospect(
            name=draw(texts),
            role=draw(texts),
            company=draw(texts),
            greeting=draw(texts),
            voice=Voice(
                gender=draw(st.sampled_from(["female", "male"])),
                language=draw(st.sampled_from(["en-gb", "en-us", "en-gb-scotland"])),
                rate=draw(st.integers(min_value=80, max_value=400)),
                variant=draw(st.sampled_from(["", "f2", "m3"])),
            ),
        ),
        targets=Targets(low, high, hard, draw(st.integers(min_value=1, max_value=500))),
        rubric=Rubric(tuple(draw(criteria(i)) for i in ids)),
        model_message=draw(texts),
    )
