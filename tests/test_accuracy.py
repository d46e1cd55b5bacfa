"""What the machine hears on the labelled set (tests/accuracy_set.py): word counts and hints.

Issue #5 sets the floors at 90 % of hints right and word counts within 15 %. With Whisper the
floor is met across all 48 takes and on every voice; this test holds what has been reached, so
that no change makes it worse unnoticed:

- every synthesiser and voice (two espeak-ng, two flite) meets the 90 % floor;
- across all takes hints are at least 95 % right, and at least 94 % on the held-out half that
  nothing was tuned on;
- false alarms (a hint that says something was said when it was not: the praise a generous
  self-assessor wants to hear) are at most 1 % of hints;
- the median word-count error is within 15 %, and 95 % of takes are within 15 %;
- fillers ("um", "uh", "like"...): at least 70 % of those said are heard, and at most one of the
  48 takes (which have none) has a filler made up.

Raise these numbers as the recogniser improves; never lower them.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from simulator.testing.accuracy_set import (
    HINT_ORDER,
    TRANSCRIPT_HINTS,
    Outcome,
    cases,
    fillers_heard,
    outcome,
)


def _outcomes(folder: Path) -> list[Outcome]:
    # One take at a time: Whisper already uses both cores. Two processes decoding at once made
    # single stretches take 15-20 s (its threads spin against each other) and the test time out.
    return [outcome(case, folder) for case in cases()]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list[Outcome]:
    return _outcomes(tmp_path_factory.mktemp("labelled"))


def hints_right(rows: list[Outcome]) -> float:
    """Of the hand-labelled hints, the share right (the floors were set on these; first_words,
    labelled by rule, fails with prospect_name when the name is misheard, and has its own floor)."""
    return sum(h not in r.not_right for r in rows for h in HINT_ORDER) / (len(rows) * len(HINT_ORDER))


@pytest.mark.parametrize("voice", ["en-us", "en+f3", "slt", "kal"])
def test_every_voice_meets_the_hint_floor(outcomes: list[Outcome], voice: str) -> None:
    heard = [r for r in outcomes if r.case.voice == voice]
    assert hints_right(heard) >= 0.90, [(r.case.id, r.not_right) for r in heard if r.not_right]


def test_hints_overall_and_held_out(outcomes: list[Outcome]) -> None:
    assert hints_right(outcomes) >= 0.95
    assert hints_right([r for r in outcomes if r.case.message.split == "held-out"]) >= 0.94


def test_false_alarms_are_rare(outcomes: list[Outcome]) -> None:
    """A hint for something the take leaves out that says anything but ✗ (✓, or ⚠ unsure)."""
    false_alarms = [(r.case.id, h) for r in outcomes for h in r.not_right if not r.expected[h]]
    assert len(false_alarms) <= 0.01 * len(outcomes) * len(TRANSCRIPT_HINTS), false_alarms


def test_word_counts(outcomes: list[Outcome]) -> None:
    assert statistics.median(r.word_error for r in outcomes) <= 0.15
    within = [r for r in outcomes if r.word_error <= 0.15]
    assert len(within) >= 0.95 * len(outcomes), [(r.case.id, r.words) for r in outcomes if r not in within]
    slt = [r for r in outcomes if r.case.voice == "slt"]
    assert sum(r.word_error <= 0.15 for r in slt) >= len(slt) - 1, [(r.case.id, r.words) for r in slt]


def test_lead_silence_through_the_whole_analysis(outcomes: list[Outcome]) -> None:
    assert max(r.lead_error_s for r in outcomes) <= 0.15


def test_fillers_are_heard_and_not_made_up(outcomes: list[Outcome], tmp_path: Path) -> None:
    made_up = [(r.case.id, r.fillers) for r in outcomes if r.fillers]
    assert len(made_up) <= 1, made_up
    heard, said = fillers_heard(tmp_path)
    assert heard >= 0.7 * said, (heard, said)


def test_the_opening_check_is_right_on_the_labelled_set(outcomes: list[Outcome]) -> None:
    """first_words (issue #18) makes no mistake of its own: where it is wrong, a name it looks for
    was misheard, and the name check is wrong too. Right on 49 of 49 takes on an AVX-512 machine and
    on 43 on an AVX2 one (EPYC: "Anne, this is Sam" heard as "and this is sam" in three takes);
    80 % holds with margin across CPUs."""
    own = [
        r.case.id
        for r in outcomes
        if "first_words" in r.not_right and not {"prospect_name", "caller_name", "company"} & set(r.not_right)
    ]
    assert not own, own
    right = [r for r in outcomes if "first_words" not in r.not_right]
    assert len(right) >= 0.8 * len(outcomes), [(r.case.id, r.transcript) for r in outcomes if r not in right]


def test_a_name_said_first_is_not_called_missing(outcomes: list[Outcome]) -> None:
    """The prospect's name said in the first words is heard, or, where a word that sounds like it
    was heard in its place, ⚠ listen back: "did not hear their name" is not said to a trainee who
    said it. Before the sounds-alike check, 5 of 33 such takes got ✗ on an AVX2 machine."""
    early = [r for r in outcomes if r.early_name_heard is not None]
    called_missing = [(r.case.id, r.transcript) for r in early if "prospect_name" in r.wrong]
    assert len(called_missing) <= 0.05 * len(early), called_missing


def test_listen_back_is_rare_where_no_name_was_said(outcomes: list[Outcome]) -> None:
    no_name = [r for r in outcomes if not r.expected["prospect_name"]]
    cautioned = [(r.case.id, r.transcript) for r in no_name if "prospect_name" in r.unsure]
    assert len(cautioned) <= 0.1 * len(no_name), cautioned
