"""The coach in a real classroom (issue #16): neighbours talking, a fan, a cheap headset, a laptop's
microphone, other device rates, a stereo microphone with a dead channel.

The labelled set's room takes (simulator/testing/rooms.py, accuracy_set.room_cases) are the clean
takes recorded in each room, labelled as the clean take. Floors are set from the figures measured
on this machine under every CPU kernel, with margin (the recogniser's words differ by machine;
the timings and the room do not depend on them):

- timings (silence before speaking within 0.15 s, pause count) right on every take with neighbours
  20 or 25 dB down, in every other room, and on every clean take; where they are wrong (neighbours
  15 dB down), the take says the room was too loud, so no wrong figure is shown with confidence;
- no room but the 15 dB babble is called too loud;
- hints right per room, and word counts within 15 % on at least 90 % of takes per room;
- a neighbour's words in the trainee's pauses never earn the trainee a ✓;
- a prospect's name said first is called missing (✗) on at most 10 % of such takes over all rooms
  (where it is misheard, the name checks say ⚠ listen back: tests/test_names_heard.py).
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from simulator.analysis.hints import ROOM_LOUD_CAUTION, duration_hint, mark
from simulator.analysis.record import Measurements, Room, Transcript, Word
from simulator.analysis.room import RoomListener
from simulator.analysis.take import analyze, the_trainees_words, without_a_stray_start
from simulator.audio.base import Clip
from simulator.cli import main
from simulator.locations import shipped_scenarios_dir
from simulator.scenario_loader import load_library
from simulator.testing import rooms
from simulator.testing.accuracy_set import (
    HINT_ORDER,
    Outcome,
    cases,
    clip_for,
    outcome,
    room_cases,
)
from simulator.testing.analyses import SPOKEN
from simulator.tui.text import ROOM_WAS_LOUD, measurements_text

LIBRARY = load_library([shipped_scenarios_dir()])
# Hints right per room, measured on this machine (issue #16's note): babble 92.7-93.8 %, fan 96.9 %,
# headset 98.4 %, laptop 78.1 %, device rates 89.1-90.6 % (the model message as in a quiet room, and
# the "guilt" message, whose first word "Anne" is heard as "and" in a quiet room too), dead channel
# 96.9 %. Floors leave 3 hints or more of margin.
# The laptop's reverberant room is below the goal of 95 %: the floor holds what is reached.
HINT_FLOORS = {
    "babble-15": 0.85, "babble-20": 0.88, "babble-25": 0.88, "fan": 0.90, "headset": 0.90,
    "laptop": 0.70, "rate-16000": 0.84, "rate-44100": 0.84, "rate-48000": 0.84, "stereo-dead": 0.85,
}  # fmt: skip
# Word counts within 15 %, per room of 8 takes: all but one (all but two on the laptop). On an AVX-512
# machine every room had all 8 but the laptop (7); on an AVX2 one (EPYC) Whisper skipped "your
# office on Riverside Way. If you need to move it" in one headset take, a slip no floor of 8 of 8
# survives on every CPU. Over all rooms together, 90 % still holds.
COUNT_FLOORS = {"laptop": 0.75}
COUNT_FLOOR = 0.85
COUNT_FLOOR_ALL_ROOMS = 0.9


@pytest.fixture(scope="module")
def room_outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Outcome]]:
    folder = tmp_path_factory.mktemp("rooms")
    by_room: dict[str, list[Outcome]] = defaultdict(list)
    for case in room_cases():  # one at a time: Whisper already uses both cores
        by_room[case.condition].append(outcome(case, folder))
    return by_room


def _hints_right(rows: list[Outcome]) -> float:
    """Of the hand-labelled hints, the share right (the floors were set on these; first_words,
    labelled by rule, fails with prospect_name when the name is misheard, and has its own floor)."""
    return sum(h not in r.not_right for r in rows for h in HINT_ORDER) / (len(rows) * len(HINT_ORDER))


def test_every_room_is_in_the_set(room_outcomes: dict[str, list[Outcome]]) -> None:
    assert set(room_outcomes) == set(rooms.CONDITIONS)
    assert all(len(rows) >= 4 for rows in room_outcomes.values())
    assert any(r.case.pause_s for rows in room_outcomes.values() for r in rows)  # pauses are put to the test


@pytest.mark.parametrize("room", rooms.CONDITIONS)
def test_hints_and_word_counts_per_room(room_outcomes: dict[str, list[Outcome]], room: str) -> None:
    rows = room_outcomes[room]
    floor = HINT_FLOORS[room]
    assert _hints_right(rows) >= floor, [(r.case.id, r.not_right, r.transcript) for r in rows if r.not_right]
    within = [r for r in rows if r.word_error <= 0.15]
    outside = [(r.case.id, r.words, r.transcript) for r in rows if r not in within]
    assert len(within) >= COUNT_FLOORS.get(room, COUNT_FLOOR) * len(rows), outside


# Wrong verdicts (a ✓ or ✗ against the label) over every room's hand-labelled hints: 1 of 704 on an
# AMD EPYC under AVX-512, AVX2 and GENERIC alike ("mandy the eleven" on a dead channel); 8 before the
# close of a message was checked where its words go (closing.py), 20 before a ✗ had to rest on
# words the recogniser was sure of. The ceiling leaves 4 of margin for other CPUs' words.
WRONG_CEILING_ALL_ROOMS = 0.008
# Through the laptop's echo, none of 64 (6 before): what Whisper mishears there is ⚠ listen back.
WRONG_CEILING_LAPTOP = 2


def test_verdicts_over_all_rooms_are_seldom_wrong(room_outcomes: dict[str, list[Outcome]]) -> None:
    """Where the recogniser may be wrong the coach says "listen back": it seldom judges wrongly."""
    rows = [r for room in room_outcomes.values() for r in room]
    wrong = [(r.case.id, h, r.transcript) for r in rows for h in r.wrong if h in HINT_ORDER]
    assert len(wrong) <= WRONG_CEILING_ALL_ROOMS * len(rows) * len(HINT_ORDER), wrong


def test_a_laptops_echo_is_listen_back_not_a_wrong_verdict(room_outcomes: dict[str, list[Outcome]]) -> None:
    """Whisper tiny.en mishears "call me on", "I'll try you again" and "Wednesday" in a reverberant
    room; the coach says "listen back" there rather than tell the trainee they left them out."""
    rows = room_outcomes["laptop"]
    wrong = [(r.case.id, h, r.transcript) for r in rows for h in r.wrong if h in HINT_ORDER]
    assert len(wrong) <= WRONG_CEILING_LAPTOP, wrong


# The device's own rate costs nothing: at 16, 44.1 and 48 kHz the hints right were those of the same
# takes in a quiet room at the voice's own rate, or one more (AMD EPYC, AVX2). What keeps the rate
# rooms below 95 % is their message opening "Anne, this is Sam", heard "and this is sam" anywhere.
RATE_ROOMS_BELOW_QUIET = 3  # hints of 72: margin for a word that differs once resampled


def test_a_devices_rate_costs_no_hints(
    room_outcomes: dict[str, list[Outcome]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("quiet")
    quiet = [outcome(r.case.clean, folder) for r in room_outcomes["rate-16000"]]
    right = {room: sum(r.right for r in room_outcomes[room]) for room in rooms.CONDITIONS if "rate" in room}
    assert min(right.values()) >= sum(r.right for r in quiet) - RATE_ROOMS_BELOW_QUIET, (right, quiet)


def test_word_counts_over_all_rooms(room_outcomes: dict[str, list[Outcome]]) -> None:
    rows = [r for room in room_outcomes.values() for r in room]
    outside = [(r.case.id, r.words, r.transcript) for r in rows if r.word_error > 0.15]
    assert len(rows) - len(outside) >= COUNT_FLOOR_ALL_ROOMS * len(rows), outside


@pytest.mark.parametrize("room", [c for c in rooms.CONDITIONS if c != "babble-15"])
def test_timings_are_the_trainees_and_the_room_is_not_called_loud(
    room_outcomes: dict[str, list[Outcome]], room: str
) -> None:
    rows = room_outcomes[room]
    assert all(r.timings_right for r in rows), [(r.case.id, r.lead_error_s, r.pauses_right) for r in rows]
    assert not any(r.too_loud for r in rows), [r.case.id for r in rows if r.too_loud]


def test_where_the_room_drowns_the_trainee_the_take_says_so(room_outcomes: dict[str, list[Outcome]]) -> None:
    """Neighbours 15 dB down: most takes are still measured right, and every one that is not is
    marked too loud, so its figures come with "timings may be off"."""
    rows = room_outcomes["babble-15"]
    assert sum(r.timings_right for r in rows) >= 0.75 * len(rows)
    assert all(r.too_loud for r in rows if not r.timings_right), [r.case.id for r in rows]
    assert sum(r.too_loud for r in rows) >= len(rows) // 2  # a room this loud is said to be


def _vague_take_among_neighbours(folder: Path, below_db: str) -> Clip:
    vague = next(c for c in cases() if c.message.name == "vague" and c.voice == "en-us")
    return clip_for(dataclasses.replace(vague, lead_s=2.5, pause_s=1.6, condition=below_db), folder)


@pytest.mark.parametrize("below", ["babble-20", "babble-15"])
def test_a_neighbours_words_never_earn_the_trainee_a_tick(tmp_path: Path, below: str) -> None:
    """The trainee leaves the vague message (no name, no company, no number) while neighbours say
    "Hi Anne, it's Sam Patel from Clearline Office Solutions... call me on 0116 496 0732"."""
    clip = _vague_take_among_neighbours(tmp_path, below)
    analysis = analyze(clip, LIBRARY.get("cold-call"), caller="Sam Patel")
    for hint_id in ("prospect_name", "company", "phone_number", "follow_up"):
        assert mark(hint_id, analysis.hints[hint_id]) != "✓", (hint_id, analysis.transcript)


def test_words_heard_where_the_trainee_is_silent_are_left_out() -> None:
    said = [Word("hi", 1.0, 1.2), Word("anne", 1.2, 1.5), Word("call", 6.0, 6.3), Word("me", 6.3, 6.5)]
    transcript = Transcript((said[0], said[1], said[2], said[3]))
    kept = the_trainees_words(transcript, ((5.9, 7.0),))
    assert [w.text for w in kept.words] == ["call", "me"]
    assert [w.text for w in kept.room] == ["hi", "anne"]
    assert the_trainees_words(transcript, ((0.9, 1.3), (6.1, 6.4))).room == ()  # within 0.25 s counts


def test_a_word_is_timed_inside_the_speech_it_belongs_to() -> None:
    """Walked: Results read "“hi anne” at 7.5 s" beside "Silence before speaking: 7.8 s"."""
    transcript = Transcript((Word("hi", 7.5, 7.9), Word("anne", 7.9, 8.3), Word("thanks", 12.0, 12.6)))
    kept = the_trainees_words(transcript, ((7.8, 8.2), (11.9, 12.4)))
    assert [(w.start_s, w.end_s) for w in kept.words] == [(7.8, 7.9), (7.9, 8.2), (12.0, 12.4)]
    assert kept.room == ()
    inside = Transcript((Word("hi", 7.9, 8.0),))
    assert the_trainees_words(inside, ((7.8, 8.2),)) is inside  # nothing to move: the same transcript


def test_the_room_is_listened_to_live_and_kept_with_the_take(tmp_path: Path) -> None:
    loud = _vague_take_among_neighbours(tmp_path, "babble-15")
    quiet = _vague_take_among_neighbours(tmp_path, "babble-25")
    for clip, too_loud in ((loud, True), (quiet, False)):
        listener = RoomListener()
        block = clip.samplerate // 20
        for start in range(0, len(clip.samples), block):
            listener.feed(clip.samples[start : start + block], clip.samplerate)
        assert listener.room is not None and listener.room.too_loud is too_loud
        measured = analyze(clip, LIBRARY.get("cold-call"), recognise=False).measurements
        assert measured.room is not None and measured.room.too_loud is too_loud
        assert measured.room.background_dbfs is not None and -70 < measured.room.background_dbfs < -20
    quiet_enough = analyze(quiet, LIBRARY.get("cold-call"), recognise=False).measurements
    assert quiet_enough.lead_silence_s == pytest.approx(2.5, abs=0.15)  # the trainee's, not the room's


def test_analyze_json_says_how_loud_the_room_was(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    take = tmp_path / "loud.wav"
    _vague_take_among_neighbours(tmp_path, "babble-15").save(take)
    assert main(["analyze", str(take), "--scenario", "cold-call", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["room"]["too_loud"] is True and isinstance(report["room"]["background_dbfs"], float)
    assert isinstance(report["doubtful"], list) and set(report["speech_spans"][0]) == {"start_s", "end_s"}
    assert main(["analyze", str(take), "--scenario", "cold-call"]) == 0
    assert "the room was loud" in capsys.readouterr().out


def test_the_review_says_the_room_was_loud() -> None:
    loud = dataclasses.replace(SPOKEN, room=Room(-31.0, True))
    assert ROOM_WAS_LOUD in measurements_text(loud).plain
    assert ROOM_WAS_LOUD not in measurements_text(SPOKEN).plain


def test_a_stereo_microphone_with_a_dead_channel_is_read_at_the_live_channels_level(tmp_path: Path) -> None:
    clip = Clip((0.3 * np.sin(np.arange(16000) / 5)).astype(np.float32), 16000)
    read = Clip.load(rooms.stereo_with_dead_channel(clip, tmp_path / "stereo.wav"))
    assert np.max(np.abs(read.samples)) == pytest.approx(0.3, abs=0.01)  # not halved by the dead side


async def test_the_call_screen_says_live_that_the_room_is_loud(tmp_path: Path) -> None:
    """A take recorded among neighbours 15 dB down, through the file-backed microphone: the call
    screen warns while recording, and the review says the timings may be off."""
    from simulator.tui.screens.brief import BriefScreen
    from simulator.tui.screens.call import ROOM_IS_LOUD, CallScreen
    from simulator.tui.screens.review import ReviewScreen
    from simulator.tui.screens.start import StartScreen

    from .app_support import make_app, wait_for

    take = tmp_path / "loud-room.wav"
    _vague_take_among_neighbours(tmp_path, "babble-15").save(take)
    app = make_app(tmp_path, take, speed=2.0)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        await pilot.press(*"Sam Patel", "enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, BriefScreen))
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: isinstance(app.screen, CallScreen))
        call = app.screen
        flag = call.query_one("#on-record")
        await wait_for(pilot, lambda: ROOM_IS_LOUD in str(flag.render()), timeout=30)
        assert call.has_class("loud-room")
        length = Clip.load(take).duration_s  # the review judges the whole take
        await wait_for(pilot, lambda: call.recorder is not None and call.recorder.elapsed_s > length + 0.3)
        await pilot.press("space")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert ROOM_WAS_LOUD in str(app.screen.query_one("#measurements").render())


def _timings_right(measured: Measurements, truth: Measurements) -> bool:
    return abs(measured.lead_silence_s - truth.lead_silence_s) <= 0.15 and measured.pauses == truth.pauses


def test_neighbours_louder_still_are_called_loud(tmp_path: Path) -> None:
    """Neighbours 10 dB down talk so much that nothing is left away from "speech": the room is then
    judged by the floor of the whole take, or by a stretch of "speech" far quieter than the
    trainee's, and called too loud on 11 of the 12 takes here; the other is measured right. Before
    the quiet stretch counted, one take's silence before speaking came out 0.18 s for 2.5 s and the
    room was not called loud."""
    from simulator.analysis.measure import measure

    takes = [dataclasses.replace(c, condition="babble-10") for c in room_cases("babble-15")]
    measured = [(c.id, measure(clip_for(c, tmp_path)), measure(clip_for(c.clean, tmp_path))) for c in takes]
    loud = [bool(m.room and m.room.too_loud) for _, m, _ in measured]
    assert sum(loud) >= 10, loud
    unflagged = [(id_, m.lead_silence_s, t.lead_silence_s) for id_, m, t in measured
                 if not (m.room and m.room.too_loud) and not _timings_right(m, t)]  # fmt: skip
    assert not unflagged


@pytest.mark.parametrize("room", ["fan", "headset", "babble-20", "babble-25"])
def test_a_soft_sound_between_words_is_not_a_loud_room(tmp_path: Path, room: str) -> None:
    """flite's awb voice, which the rest of the labelled set does not use, in quiet rooms: a soft
    sound of its own between two words, in the middle of a short gap, was read as the room, and
    6 of these 48 takes were called loud."""
    from simulator.analysis.measure import measure

    takes = [dataclasses.replace(c, voice="awb", condition=room) for c in cases() if c.voice == "slt"]
    loud = [c.id for c in takes if (found := measure(clip_for(c, tmp_path)).room) and found.too_loud]
    assert not loud, loud


def test_a_laptops_own_echo_is_not_a_loud_room(tmp_path: Path) -> None:
    """Every labelled take through a laptop's microphone across a reverberant room, in an otherwise
    quiet room: the trainee's echo fills the dips between words, and 5 of the 49 were called loud
    while the room's floor was its shallower dips."""
    from simulator.analysis.measure import measure

    takes = [dataclasses.replace(c, condition="laptop") for c in cases()]
    loud = [c.id for c in takes if (room := measure(clip_for(c, tmp_path)).room) and room.too_loud]
    assert not loud, loud


def test_a_stray_sound_before_the_words_is_not_the_start() -> None:
    spans = ((0.6, 0.7), (2.34, 6.0), (7.6, 11.6))
    measured = dataclasses.replace(SPOKEN, lead_silence_s=0.6, speech_spans=spans, pauses=2)
    words = Transcript((Word("hi", 2.46, 2.7), Word("again", 7.7, 8.0)))
    fixed = without_a_stray_start(measured, words)
    assert fixed.lead_silence_s == 2.34 and fixed.pauses == 1 and fixed.speech_spans == spans[1:]
    heard_there = Transcript((Word("uh", 0.6, 0.7), *words.words))
    assert without_a_stray_start(measured, heard_there) == measured  # a word the recogniser heard
    long_start = dataclasses.replace(measured, speech_spans=((0.3, 0.8), *spans[1:]))
    assert without_a_stray_start(long_start, words) == long_start  # half a second is someone speaking


def test_a_loud_room_marks_every_timing_as_unsure() -> None:
    loud = dataclasses.replace(SPOKEN, room=Room(-31.0, True))
    shown = measurements_text(loud).plain.splitlines()
    for label in ("Silence before speaking", "Speaking time", "Pauses over 1.2 s"):
        assert next(line for line in shown if line.startswith(label)).endswith("⚠ may be off (loud room)")
    assert not any("may be off" in line for line in measurements_text(SPOKEN).plain.splitlines())
    hint = duration_hint(LIBRARY.get("cold-call"), loud)
    assert hint.caution == ROOM_LOUD_CAUTION and duration_hint(LIBRARY.get("cold-call"), SPOKEN).caution == ""


def test_a_name_said_first_is_not_called_missing_in_any_room(room_outcomes: dict[str, list[Outcome]]) -> None:
    """Over every room, the prospect's name said in the first words is heard or ⚠ listen back
    (a word that sounds like it heard in its place), not ✗: the room takes' "Anne, this is Sam" is
    heard "and this is sam" on an AVX2 machine in all three rate rooms."""
    early = [r for rows in room_outcomes.values() for r in rows if r.early_name_heard is not None]
    called_missing = [(r.case.id, r.transcript) for r in early if "prospect_name" in r.wrong]
    assert len(called_missing) <= 0.1 * len(early), called_missing


def test_a_name_said_first_through_a_laptop_is_not_called_missing(tmp_path: Path) -> None:
    """The no-number message's "Hello Anne, Sam Patel here" through a laptop was heard "but again
    sam patel" and "the low man sam patel", words the recogniser doubted, and the trainee was told
    they left the name out: where the words in the name's place are doubted, ⚠ listen back, not ✗
    (on every CPU kernel here, for all four voices)."""
    takes = [dataclasses.replace(c, condition="laptop") for c in cases() if c.message.name == "no-number"]
    said_first = [outcome(case, tmp_path) for case in takes]
    assert all(r.early_name_heard is not None for r in said_first)
    called_missing = [(r.case.id, r.transcript) for r in said_first if "prospect_name" in r.wrong]
    assert not called_missing, called_missing
