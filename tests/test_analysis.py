"""What the machine hears: pronunciations, numbers, phrases, hints, timing, the analyze contract."""

from __future__ import annotations

import dataclasses
import json
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pocketsphinx import Decoder

from simulator.analysis import transcribe as transcribe_module
from simulator.analysis.hints import date_time_hint, hint_phrases, is_good, machine_hints, phone_hint
from simulator.analysis.measure import Measurements, measure
from simulator.analysis.phonetics import likeness, mnemonics_to_arpabet, pronounce
from simulator.analysis.take import analyze, listening_for
from simulator.analysis.transcribe import (
    CHANNEL_S,
    MAX_WARP,
    RATE,
    Transcriber,
    Transcript,
    Word,
    transcribe,
    warp_for,
)
from simulator.analysis.words import find_phrase, number_runs, written_word_count
from simulator.audio.base import Clip
from simulator.cli import main
from simulator.locations import shipped_scenarios_dir
from simulator.scenario_loader import load_library
from simulator.scenarios import HINT_IDS

from .accuracy_set import cases as accuracy_cases
from .accuracy_set import clip_for
from .conftest import speak

COLD_CALL = load_library([shipped_scenarios_dir()]).get("cold-call")


def said(text: str, gap: float = 0.3) -> list[Word]:
    return [Word(w, i * gap, i * gap + gap * 0.8) for i, w in enumerate(text.split())]


def test_espeak_mnemonics_become_arpabet() -> None:
    assert mnemonics_to_arpabet("kl'i@3laIn") == "K L IH R L AY N"
    assert mnemonics_to_arpabet("w'aInb3:g") == "W AY N B ER G"


@pytest.mark.parametrize("word", ["weinberg", "peggy", "penrose", "harrow", "clear", "line"])
def test_pronunciations_match_the_recogniser_dictionary(word: str) -> None:
    decoder = Decoder(samprate=16000, loglevel="FATAL")
    assert pronounce(word) == decoder.lookup_word(word)


@pytest.mark.parametrize(
    ("spoken", "digits"),
    [
        ("oh one one six four nine six oh seven three two", "01164960732"),
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


@given(st.lists(st.sampled_from(["one", "two", "oh", "nine", "and", "hello", "hundred"]), max_size=20))
def test_number_runs_never_overlap(tokens: list[str]) -> None:
    runs = number_runs(said(" ".join(tokens)))
    for first, second in pairwise(runs):
        assert first.last <= second.first
    assert all(run.digits.isdigit() for run in runs)


def spoken_for(duration: float) -> Measurements:
    """Measurements of a take with speech lasting ``duration`` seconds."""
    silent = measure(Clip(np.zeros(1, dtype=np.float32), 16000))
    changes = {"duration_s": duration, "trail_silence_s": 0.5, "speech_s": duration - 1, "has_speech": True}
    return dataclasses.replace(silent, **changes)


MEASURED = spoken_for(20.0)


def hints_for(text: str, duration: float = 20.0):  # type: ignore[no-untyped-def]
    return machine_hints(COLD_CALL, spoken_for(duration), Transcript(tuple(said(text))), caller="Sam Patel")


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


def test_the_machine_panel_shows_each_hints_evidence_once() -> None:
    """Evidence names what it is about ("the prospect's name: ..."): the panel adds no second label."""
    from simulator.tui.text import hint_text

    intro = next(c for c in COLD_CALL.rubric.criteria if "prospect_name" in c.hints)
    shown = hint_text(intro, hints_for("hi anne it's sam patel from clearline office solutions")).plain
    assert "the prospect's name: \u201chi anne\u201d" in shown and "your company:" in shown
    assert "prospect name:" not in shown and "company: your company" not in shown


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
    assert streamed.finish().text == batch.text
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


def test_a_greeting_is_not_a_time_and_i_am_is_not_am() -> None:
    assert date_time_hint(said("good morning this is sam i am calling about printing"), []).value is False
    assert date_time_hint(said("see you at two pm"), []).value is True
    assert "two pm" in date_time_hint(said("see you at two pm"), []).evidence
    assert date_time_hint(said("i'll try you again thursday"), []).value is True
    assert date_time_hint(said("we may be able to help"), []).value is False


def test_names_are_listened_for_with_the_words_around_them() -> None:
    phrases = hint_phrases(COLD_CALL, "Sam Patel")
    assert {"anne fletcher", "hi anne"} <= set(phrases["prospect_name"])
    assert {"sam patel", "this is sam", "it's sam"} <= set(phrases["caller_name"])
    assert {"clearline office solutions", "from clearline"} <= set(phrases["company"])
    listening = listening_for(COLD_CALL, "Sam Patel")
    assert "zero one one six" in listening.units and "oh one one six" in listening.units
    spotted = dict(listening.spot)
    assert "hi anne" in spotted and "ring me" not in spotted  # a short phrase that false-alarmed
    # a carrier phrase spotted counts as the name, with its time as evidence
    hints = machine_hints(COLD_CALL, MEASURED, Transcript((), (Word("hi anne", 0.4, 0.9),)), caller="Sam")
    assert hints["prospect_name"].value is True and "0.4 s" in hints["prospect_name"].evidence


def test_a_number_is_heard_from_two_spotted_groups_of_the_callback_number() -> None:
    spotted = [Word("oh one one six", 5.0, 6.0), Word("oh seven three two", 7.0, 8.0)]
    hint = phone_hint([], spotted, COLD_CALL.brief.callback_number)
    assert hint.value is True and "0116 and 0732" in hint.evidence
    assert phone_hint([], spotted[:1], COLD_CALL.brief.callback_number).value is False  # 4 digits only


def test_long_takes_stream_and_batch_alike(tmp_path: Path) -> None:
    """Past the channel window too: the window is cut at the same sample however blocks arrive."""
    clip = Clip.load(speak(MESSAGE, tmp_path / "t.wav", "kal", engine="flite"))
    assert clip.duration_s > CHANNEL_S + 2
    listening = listening_for(COLD_CALL, "Sam Patel")
    streamed = Transcriber(listening)
    block = int(clip.samplerate * 0.05)
    for start in range(0, len(clip.samples), block):
        streamed.feed(clip.samples[start : start + block], clip.samplerate)
    assert streamed.finish().text == transcribe(clip.samples, clip.samplerate, listening).text


def test_the_channel_is_estimated_before_decoding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """flite's kal voice is far from the model's default channel: with the cepstral mean estimated
    from the take the names are heard; with the model's default mean they are not."""
    clip = Clip.load(speak(MESSAGE, tmp_path / "t.wav", "kal", engine="flite"))
    listening = listening_for(COLD_CALL, "Sam Patel")
    estimated = transcribe(clip.samples, clip.samplerate, listening)
    assert find_phrase(list(estimated.words), "sam patel") and find_phrase(list(estimated.words), "clearline")
    default_mean = "40,3,-1"  # the model's own
    monkeypatch.setattr(transcribe_module, "channel_mean", lambda pcm, warp=1.0: default_mean)
    default = transcribe(clip.samples, clip.samplerate, listening)
    assert not find_phrase(list(default.words), "sam patel")


def test_multiword_units_come_back_as_words_with_times(tmp_path: Path) -> None:
    clip = Clip.load(speak(MESSAGE, tmp_path / "t.wav", "slt", engine="flite"))
    transcript = transcribe(clip.samples, clip.samplerate, listening_for(COLD_CALL, "Sam Patel"))
    words = [w.text for w in transcript.words]
    assert not any("_" in w for w in words)
    assert find_phrase(list(transcript.words), "sam patel") and find_phrase(
        list(transcript.words), "clearline"
    )
    assert all(a.start_s <= b.start_s for a, b in pairwise(transcript.words))


def _pcm(clip: Clip) -> bytes:
    return (np.clip(clip.resampled(RATE).samples, -1, 1) * 32767).astype("<i2").tobytes()


@pytest.mark.parametrize(
    ("voice", "engine", "low", "high"),
    [("kal", "flite", 1.0, 1.0), ("en-us", "espeak-ng", 1.0, 1.0), ("slt", "flite", 1.03, 1.1),
     ("en+f3", "espeak-ng", MAX_WARP, MAX_WARP)],
)  # fmt: skip
def test_the_warp_follows_the_voice_pitch(
    tmp_path: Path, voice: str, engine: str, low: float, high: float
) -> None:
    """Low voices (kal about 90 Hz, espeak-ng about 100 Hz) are left alone; slt (about 165 Hz) is
    warped a little, espeak-ng's f3 (about 210 Hz) the most."""
    clip = Clip.load(speak(MESSAGE, tmp_path / "t.wav", voice, 160, engine))
    assert low <= warp_for(_pcm(clip)) <= high


def test_silence_and_whispers_are_not_warped() -> None:
    assert warp_for(bytes(RATE * 2 * 3)) == 1.0
    noise = np.random.default_rng(1).normal(0, 0.05, RATE * 3).astype(np.float32)
    assert warp_for(_pcm(Clip(noise, RATE))) == 1.0


def test_a_high_voice_is_decoded_through_its_warp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The warp reaches the decoders: forcing it off changes what a high voice is heard to say."""
    clip = Clip.load(speak(MESSAGE, tmp_path / "t.wav", "en+f3", 150))
    listening = listening_for(COLD_CALL, "Sam Patel")
    warped = transcribe(clip.samples, clip.samplerate, listening).text
    monkeypatch.setattr(transcribe_module, "warp_for", lambda pcm: 1.0)
    assert transcribe(clip.samples, clip.samplerate, listening).text != warped


def test_the_same_warp_twice_is_applied_twice(tmp_path: Path) -> None:
    """pocketsphinx skips a warp equal to the last one it was given: the second take of the same
    voice was decoded unwarped until each setting was written differently."""
    clip = Clip.load(speak("Call me on 0116 496 0732. I'll try you again Thursday.", tmp_path / "t.wav",
                           "slt", engine="flite"))  # fmt: skip
    listening = listening_for(COLD_CALL, "Sam Patel")
    heard = {transcribe(clip.samples, clip.samplerate, listening).text for _ in range(3)}
    assert len(heard) == 1, heard


PHONES = st.lists(st.sampled_from(["AA", "AE", "AH", "K", "L", "M", "N", "IY", "S", "T"]), max_size=12)


@given(PHONES, PHONES, PHONES)
def test_a_phrase_inside_what_was_heard_is_all_there(
    before: list[str], target: list[str], after: list[str]
) -> None:
    assert likeness(target, before + target + after) == (1.0 if target else 0.0)


@given(PHONES, PHONES)
def test_likeness_is_a_share(target: list[str], heard: list[str]) -> None:
    assert 0.0 <= likeness(target, heard) <= 1.0
    if target and not set(target) & set(heard):
        assert likeness(target, heard) == 0.0  # nothing in common


def test_likeness_counts_the_phones_that_differ() -> None:
    def phones(text: str) -> list[str]:
        return text.split(" ")

    call_me = phones("K AO L M IY")
    assert likeness(call_me, phones("DH AH K AA M IY AA N")) == pytest.approx(0.6)  # "the commie on"
    assert likeness(call_me, phones("W IY S EY V")) < 0.6  # "we save"


@pytest.fixture(scope="module")
def decoder() -> Decoder:
    return Decoder(loglevel="FATAL")


def test_a_short_spotted_phrase_needs_the_transcript_to_sound_like_it(decoder: Decoder) -> None:
    spot = Word("hi anne", 0.0, 0.5)
    assert not Transcriber._confirmed(spot, (Word("hi", 0.0, 0.2), Word("it's", 0.2, 0.5)), decoder)
    assert Transcriber._confirmed(spot, (Word("hi", 0.0, 0.2), Word("and", 0.2, 0.5)), decoder)
    assert not Transcriber._confirmed(
        spot, (Word("hi", 3.0, 3.2), Word("and", 3.2, 3.5)), decoder
    )  # elsewhere


def test_a_long_spotted_phrase_stands_on_its_own(decoder: Decoder) -> None:
    assert Transcriber._confirmed(Word("i'll try you again", 1.0, 2.0), (), decoder)


def test_a_greeting_without_a_name_is_not_the_prospect_name(tmp_path: Path) -> None:
    """ "Hi, it's me again" was spotted as "hi anne" until short phrases needed the transcript."""
    case = next(c for c in accuracy_cases() if c.message.name == "vague" and c.voice == "slt")
    clip = clip_for(case, tmp_path)
    result = analyze(clip, COLD_CALL, caller="Sam Patel")
    assert result.hints["prospect_name"].value is False, result.hints["prospect_name"].evidence
