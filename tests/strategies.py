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


# -- attempts ---------------------------------------------------------------------------------------
from datetime import datetime, timedelta, timezone  # noqa: E402

from simulator.attempts import (  # noqa: E402
    Assessment,
    Attempt,
    Rater,
    RaterKind,
    ScoredAssessment,
    TimingVerdict,
)
from simulator.testing.analyses import analysis_with  # noqa: E402

names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("/\\.:*?\"<>|'=,@+- "),
    min_size=1,
    max_size=40,
)
moments = st.builds(
    lambda seconds, offset: (
        datetime(2026, 1, 1, tzinfo=timezone(timedelta(minutes=offset))) + timedelta(seconds=seconds)
    ),
    st.integers(min_value=0, max_value=10**8),
    st.sampled_from([0, 60, -300, 330]),
)
finite = st.floats(min_value=0, max_value=10_000, allow_nan=False, allow_infinity=False)


@st.composite
def scored_assessments(draw: st.DrawFn) -> ScoredAssessment:
    return ScoredAssessment(
        Assessment(
            rater=Rater(draw(st.sampled_from(list(RaterKind))), draw(st.one_of(st.just(""), names))),
            ratings=draw(st.dictionaries(slugs, st.integers(0, 2), max_size=6)),
            criterion_notes=draw(st.dictionaries(slugs, names, max_size=2)),
            notes=draw(st.one_of(st.just(""), names)),
            rated_at=draw(st.one_of(st.none(), moments)),
        ),
        draw(st.floats(min_value=0, max_value=100, allow_nan=False)),
        draw(st.sampled_from(list(TimingVerdict))),
    )


@st.composite
def attempts(draw: st.DrawFn) -> Attempt:
    return Attempt(
        id=draw(st.uuids()).hex,
        trainee=draw(names),
        scenario_id=draw(slugs),
        scenario_title=draw(names),
        scenario_version=draw(st.integers(1, 100)),
        started_at=draw(moments),
        duration_s=draw(finite),
        audio_file=draw(slugs) + ".wav",
        workstation=draw(st.one_of(st.just(""), names)),
        app_version="0.1.0",
        overflows=draw(st.integers(0, 1000)),
        cut_off=draw(st.booleans()),
        recording_error=draw(st.one_of(st.just(""), names)),
        prep_notes=draw(st.one_of(st.just(""), names)),
        drill_id=draw(st.one_of(st.just(""), slugs)),
        analysis=draw(
            st.one_of(
                st.none(),
                st.builds(
                    analysis_with,
                    words=st.one_of(st.none(), st.integers(0, 200)),
                    duration_s=finite,
                    has_speech=st.booleans(),
                ),
            )
        ),
        assessments=tuple(draw(st.lists(scored_assessments(), max_size=3))),
    )
