"""The analysis record: one typed value, saved and read back the same by the record, the index
and ``analyze --json``."""

from __future__ import annotations

import dataclasses
import math
import tomllib

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from simulator.analysis.record import Hint, Measurements, Room, TakeAnalysis, Transcript, Word
from simulator.records import _plain

finite = st.floats(-200, 3600, allow_nan=False, allow_infinity=False)
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
measurements = st.builds(
    Measurements,
    duration_s=finite, lead_silence_s=finite, trail_silence_s=finite, speech_s=finite,
    pauses=st.integers(0, 100), longest_pause_s=finite, rms_dbfs=finite, peak_dbfs=finite,
    too_quiet=st.booleans(), clipping=st.booleans(), has_speech=st.booleans(),
    pitch_variation_st=st.one_of(st.none(), finite), monotone=st.one_of(st.none(), st.booleans()),
    room=st.one_of(st.none(), st.builds(Room, st.one_of(st.none(), finite), st.booleans())),
    speech_spans=st.one_of(st.none(), st.lists(st.tuples(finite, finite), max_size=3).map(tuple)),
)  # fmt: skip
seconds = st.floats(0, 600).map(lambda t: round(t, 2))
words = st.builds(Word, texts, seconds, seconds, st.floats(0, 1).map(lambda p: round(p, 2)))
hints = st.builds(Hint, st.one_of(st.none(), st.booleans()), texts, texts)
analyses = st.builds(
    TakeAnalysis,
    measurements=measurements,
    transcript=st.one_of(
        st.none(),
        st.builds(
            Transcript,
            st.lists(words, max_size=5).map(tuple),
            st.lists(
                st.tuples(st.floats(0, 60), st.floats(0, 60)).map(lambda t: (round(t[0], 2), round(t[1], 2))),
                max_size=2,
            ).map(tuple),
            # words heard from the room: saved as their text, so read back without times
            st.lists(st.from_regex(r"[a-z']{1,8}", fullmatch=True), max_size=3).map(
                lambda said: tuple(Word(w, 0.0, 0.0) for w in said)
            ),
        ),
    ),
    hints=st.dictionaries(st.sampled_from(["prospect_name", "phone_number", "duration"]), hints),
    words=st.one_of(st.none(), st.integers(0, 500)),
    wpm=st.one_of(st.none(), st.floats(0, 400)),
    filler_counts=st.dictionaries(st.sampled_from(["um", "uh", "like"]), st.integers(1, 9)),
    extra=st.dictionaries(st.sampled_from(["preview", "number_check"]), st.one_of(texts, st.integers())),
)


def saved_and_read(analysis: TakeAnalysis) -> TakeAnalysis:
    """Through the record's own path: TOML has no null, so None values are dropped first."""
    return TakeAnalysis.from_dict(tomllib.loads(tomli_w.dumps(_plain(analysis.to_dict()))))


@given(analyses)
def test_an_analysis_reads_back_as_it_was_saved(analysis: TakeAnalysis) -> None:
    # as assemble() makes them: a word count exactly when something was recognised
    if analysis.transcript is None:
        analysis = TakeAnalysis(analysis.measurements, None, analysis.hints, extra=analysis.extra)
    elif analysis.words is None:
        analysis = dataclasses.replace(analysis, words=len(analysis.transcript.words))
    again = saved_and_read(analysis)
    assert again.measurements == analysis.measurements and again.transcript == analysis.transcript
    assert again.words == analysis.words and dict(again.filler_counts) == dict(analysis.filler_counts)
    assert again.wpm == analysis.wpm or (again.wpm is not None and math.isclose(again.wpm, analysis.wpm or 0))
    assert {k: (h.value, h.evidence, h.caution) for k, h in again.hints.items()} == {
        k: (h.value, h.evidence, h.caution) for k, h in analysis.hints.items()
    }
    assert dict(again.extra) == dict(analysis.extra)  # a newer version's keys survive a re-save


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"pauses": "many"}, "analysis.pauses"),
        ({"duration_s": float("nan")}, "analysis.duration_s"),
        ({"too_quiet": 1}, "analysis.too_quiet"),
        ({"words": 3.5}, "analysis.words"),
        ({"word_timings": [{"word": "hi"}]}, "analysis.word_timings[0]"),
        ({"hints": {"duration": "yes"}}, "analysis.hints.duration"),
        ({"filler_counts": {"um": -1}}, "analysis.filler_counts"),
        ({"doubtful": [{"start_s": 1.0}]}, "analysis.doubtful[0]"),
        ({"word_timings": [{"word": "hi", "start_s": 0, "end_s": 1, "probability": 1.5}]}, "word_timings[0]"),
        (
            {"word_timings": [{"word": "hi", "start_s": 0, "end_s": 1, "probability": "low"}]},
            "word_timings[0]",
        ),
    ],
)
def test_a_value_of_the_wrong_kind_is_named(change: dict[str, object], key: str) -> None:
    good = TakeAnalysis(Measurements(**{**MEASURED.to_dict()}), Transcript(()), {}, words=0).to_dict()
    with pytest.raises(ValueError, match=key.replace("[", r"\[").replace("]", r"\]")):
        TakeAnalysis.from_dict({**good, **change})


MEASURED = Measurements(20.0, 0.4, 0.6, 17.0, 0, 0.5, -20.0, -3.0, False, False, True)


def test_words_saved_before_their_probability_was_kept_read_as_sure() -> None:
    """Records written before the recogniser's word probabilities were kept still read, each word
    as one it was sure of (so no hint turns unsure on an old take)."""
    saved = {"word_timings": [{"word": "hi", "start_s": 0.5, "end_s": 0.8}]}
    heard = TakeAnalysis.from_dict({**TakeAnalysis(MEASURED, Transcript(()), {}, words=0).to_dict(), **saved})
    assert heard.transcript is not None and heard.transcript.words == (Word("hi", 0.5, 0.8, 1.0),)
    assert not heard.transcript.words[0].unclear and Word("hi", 0.5, 0.8, 0.3).unclear
