"""Hypothesis strategies for the domain's values (valid scenarios: ``strategies_loaders``)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import strategies as st

from simulator.attempts import Assessment, Attempt, Rater, RaterKind, ScoredAssessment, TimingVerdict
from simulator.testing.analyses import analysis_with

slugs = st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)
positive = st.floats(min_value=0.5, max_value=600, allow_nan=False, allow_infinity=False)


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
