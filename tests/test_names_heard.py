"""Names and phrases misheard (issue #16): where a word that sounds like the prospect's name is heard
in the place a voicemail puts it, the name checks say ⚠ listen back; where nothing there sounds like
it, they judge. The same for the caller's name and for vague words heard one sound off."""

from __future__ import annotations

import dataclasses

import pytest

from simulator.analysis.hints import Hint, machine_hints, mark
from simulator.analysis.sounds_like import first_name, in_names_place, sounds_like
from simulator.analysis.transcribe import Transcript
from simulator.tui.text import hint_text

from .heard_support import COLD_CALL, hints_for, said, spoken_for

MISHEARD = [
    ("and this is sam you haven't called me back", "and"),  # "Anne, this is Sam" (EPYC, flite kal)
    ("hello i'm sam patel here from clearline", "i'm"),  # "Hello Anne, Sam Patel here"
    ("and listen sam you haven't called me back", "and listen"),  # "this is" misheard too
    ("high end it's sam patel from clearline", "high end"),  # "Hi Anne", issue #16
    ("hello i'm this is sam patel", "i'm"),
    ("hi and good morning this is sam", "and"),  # the greeting after the name is not shown
]


@pytest.mark.parametrize(("heard", "place"), MISHEARD)
def test_a_word_that_sounds_like_their_name_in_its_place_is_listen_back(heard: str, place: str) -> None:
    """Where the name goes (after the greeting, before the caller's introduction) a word that
    sounds like it was heard: the name may have been misheard, so ⚠ listen back, never ✗."""
    hints = hints_for(heard)
    for hint_id in ("prospect_name", "first_words"):
        assert mark(hint_id, hints[hint_id]) == "⚠", (hint_id, hints[hint_id])
        caution = hints[hint_id].caution
        assert f"\u201c{place}\u201d at" in caution and "Anne misheard" in caution
    intro = next(c for c in COLD_CALL.rubric.criteria if "prospect_name" in c.hints)
    assert "listen back" in hint_text(intro, hints).plain


NOT_THE_NAME = [
    "hi it's me again just checking in",  # nothing in the name's place
    "hi there this is sam patel",  # "there" does not sound like Anne
    "hello i am calling about your office printers",  # no introduction after it
    "good morning this is sam i am calling",
    "sam patel here from clearline office solutions",  # straight into who they are
    # Openings that leave the name out, from a review: short words a letter from "Anne" (AN)
    "hi i'm sam patel from clearline",  # "I'm" before their own name: they say who they are
    "hi again it's sam",
    "morning all it's sam",
    "ok this is sam",
    "oh hi it's sam",
    "hey a quick one it's sam",  # "one" (AN) is three words on from the greeting
    "hi a quick one this is sam",
    "hello is that ok this is sam",
]


@pytest.mark.parametrize("heard", NOT_THE_NAME)
def test_no_listen_back_where_nothing_sounds_like_their_name(heard: str) -> None:
    hints = hints_for(heard)
    assert "listen back" not in hints["prospect_name"].caution + hints["first_words"].caution
    assert hints["prospect_name"].value is False
    assert hints["first_words"].value is False


@pytest.mark.parametrize(
    "heard", ["hi? this is sam patel", "hi? it's me again just checking in", "hey? how are you doing"]
)
def test_a_doubted_greeting_is_no_names_place(heard: str) -> None:
    """A greeting alone before "this is" is ✗ even when the recogniser doubted it: on the labelled set
    a plain "hi" came back doubted (0.09-0.46) on six takes that left the name out, beside one
    "hey" (0.03) that was "Peggy" misheard in a held-out voice; a ⚠ there would excuse the lesson."""
    assert hints_for(heard)["prospect_name"].value is False


@pytest.mark.parametrize(
    ("heard", "name", "caller", "place"),
    [
        ("my mark is alex grant from safeguard", "Marcus Reid", "Alex Grant", "my mark is"),  # "Hi Marcus"
        ("my friend there alex grant here", "Marcus Reid", "Alex Grant", ""),
        ("hi i was just calling this is alex", "Marcus Reid", "Alex Grant", ""),
        ("hi more news this is alex", "Marcus Reid", "Alex Grant", ""),  # two words must hold MRKS whole
        ("hi tell you what this is jo", "Daniel Brooks", "Jo King", ""),
        ("hi danny this is jo", "Daniel Brooks", "Jo King", "danny"),
        ("hi paul it's steve", "Peggy Olsen", "Steve Hall", ""),
        ("hi pat this is steve", "Peggy Olsen", "Steve Hall", ""),
        ("hi pretty quick one this is chris", "Priya Shah", "Chris Lee", ""),  # three words after "hi"
        ("hi prior this is chris", "Priya Shah", "Chris Lee", "prior"),
        ("and this is sam", "Dr Anne Fletcher", "Sam Patel", "and"),  # the title is not the name
        ("hi and this is sam", "Anne-Marie Fletcher", "Sam Patel", "and"),
        ("hi and this is sam", "123", "Sam Patel", ""),  # no name to listen for
    ],
)
def test_the_names_place(heard: str, name: str, caller: str, place: str) -> None:
    assert " ".join(w.text for w in in_names_place(said(heard), name, caller)) == place


def test_sounds_like_compares_names_as_they_sound() -> None:
    alike = [("and", "anne"), ("i'm", "anne"), ("an", "anne"), ("danny", "daniel"), ("piggy", "peggy"),
             ("markers", "marcus"), ("mark", "marcus"), ("prior", "priya"), ("first", "thursday"),
             ("fio", "theo")]  # fmt: skip
    unlike = [("there", "anne"), ("me", "anne"), ("it's", "anne"), ("hugh", "anne"), ("mrs", "anne"),
              ("the", "peggy"), ("", "anne"), ("a", "anne"), ("all", "anne"), ("again", "anne"),
              ("ok", "anne"), ("is", "anne"), ("tell", "daniel"), ("paul", "peggy"),
              ("more", "marcus"), ("free", "thursday")]  # fmt: skip
    assert [pair for pair in alike if not sounds_like(*pair)] == []
    assert [pair for pair in unlike if sounds_like(*pair)] == []
    assert sounds_like("markis", "marcus", whole=True) and not sounds_like("mornews", "marcus", whole=True)


def test_a_title_is_not_the_first_name() -> None:
    assert first_name("Dr Anne-Marie Fletcher") == "Anne"
    assert first_name("Mrs. O'Brien") == "O'Brien"
    assert first_name("123") == ""
    prospect = dataclasses.replace(COLD_CALL.prospect, name="Dr Anne Fletcher")
    scenario = dataclasses.replace(COLD_CALL, prospect=prospect)

    def hints(heard: str) -> dict[str, Hint]:
        return machine_hints(scenario, spoken_for(20.0), Transcript(tuple(said(heard))), "Sam Patel")

    assert "may be Anne misheard" in hints("and this is sam")["prospect_name"].caution
    assert hints("hi anne this is sam")["prospect_name"].value is True


@pytest.mark.parametrize("name", ["123", "!!!", "   "])
def test_names_without_letters_give_hints_not_a_crash(name: str) -> None:
    """A scenario's prospect, or a trainee, named without letters: nothing to listen for, no KeyError."""
    scenario = dataclasses.replace(COLD_CALL, prospect=dataclasses.replace(COLD_CALL.prospect, name=name))
    transcript = Transcript(tuple(said("hi anne this is sam call me on oh one one six four nine six")))
    hints = machine_hints(scenario, spoken_for(20.0), transcript, caller=name)
    assert hints["prospect_name"] == Hint(None, f"the prospect's name: nothing in {name!r} to listen for")
    assert hints["caller_name"].value is None


@pytest.mark.parametrize(
    ("heard", "caution"),
    [
        ("hi anne samir i can cut your printing costs", "“samir” at 0.6 s may be your name misheard"),
        ("good morning anne samir i can cut your printing costs", "“samir” at 0.9 s may be your name"),
        ("hi anne i can cut your printing costs samir", ""),  # not where a name goes
        ("hi anne i can cut your printing costs", ""),
    ],
)
def test_the_callers_name_run_into_here(heard: str, caution: str) -> None:
    """ "Jo here" heard as one word, "jovir", in a voice the labelled set does not use (babble at
    20 dB): the caller's name was said, so not ✗ "not heard"; a name nowhere near is still ✗."""
    hint = hints_for(heard)["caller_name"]
    if caution:
        assert hint.value is None and caution in hint.caution, hint
    else:
        assert hint.value is False and "misheard" not in hint.caution, hint


@pytest.mark.parametrize(
    ("heard", "vague"),
    [
        ("just following upon my last message", None),  # "just following up on"
        ("about the proposal touching the bass to see", None),  # "touching base"
        ("just following up on my last message", True),
        ("i'm checking it with my team", False),  # a short phrase must be heard whole
        ("i can cut your printing costs by a third", False),
    ],
)
def test_vague_words_misheard_are_not_called_nothing_vague(heard: str, vague: bool | None) -> None:
    """In a voice the labelled set does not use, "touching base" came back "touching the bass" and
    the coach said ✓ nothing vague; a stretch one sound from a vague phrase is ⚠ listen back."""
    hint = hints_for(f"hi anne this is sam patel from clearline {heard}")["vague_phrase"]
    assert hint.value is vague, hint
    assert ("misheard: listen back" in hint.caution) is (vague is None)
