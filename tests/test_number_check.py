"""The number the prospect writes down, the preview their phone shows, and the first ten words
(issue #18): pure functions of the words heard, tested on fixed transcripts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from simulator.analysis.hints import first_words_hint, hint_phrases, machine_hints, mark
from simulator.analysis.phone import (
    NOT_HEARD_DIGIT,
    NumberVerdict,
    check_number,
    digits_run_on,
    lined_up,
    preview_of,
)
from simulator.analysis.record import Transcript, Word
from simulator.analysis.spoken import spoken_words

from .test_analysis import COLD_CALL, MEASURED

DIGIT_NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def said(text: str, pauses: dict[int, float] | None = None) -> list[Word]:
    """``text`` as the recogniser writes it, each word 0.25 s long, 0.05 s apart (or ``pauses[i]``
    before word i)."""
    words, t = [], 0.0
    for n, word in enumerate(w for token in text.split() for w in spoken_words(token)):
        t += (pauses or {}).get(n, 0.05)
        words.append(Word(word, t, t + 0.25))
        t += 0.25
    return words


groups = st.lists(st.text("0123456789", min_size=2, max_size=5), min_size=1, max_size=4).filter(
    lambda g: len("".join(g)) >= 7
)


def digits_said(digits: str) -> str:
    return " ".join(DIGIT_NAMES[int(d)] for d in digits)


@given(groups)
def test_the_number_said_is_the_same(written: list[str]) -> None:
    number = " ".join(written)
    check = check_number(number, said(f"call me on {digits_said(''.join(written))} thanks"))
    assert check is not None and check.verdict is NumberVerdict.SAME and check.heard == number
    assert check.caution == ""


@given(groups, st.data())
def test_a_dropped_or_changed_digit_is_a_difference_shown_lined_up(
    written: list[str], data: st.DataObject
) -> None:
    number, digits = " ".join(written), "".join(written)
    where = data.draw(st.integers(0, len(digits) - 1))
    if data.draw(st.booleans()):
        heard = digits[:where] + digits[where + 1 :]
    else:
        other = data.draw(st.sampled_from([d for d in "0123456789" if d != digits[where]]))
        heard = digits[:where] + other + digits[where + 1 :]
    check = check_number(number, said(f"call me on {digits_said(heard)} thanks"))
    assert check is not None and check.verdict is NumberVerdict.DIFFERS
    top, bottom = check.expected, check.heard
    assert len(top) == len(bottom) and top.replace(" ", "") == digits
    assert bottom.replace(" ", "").replace(NOT_HEARD_DIGIT, "") == heard
    assert sum(a != b for a, b in zip(top, bottom, strict=True)) == 1  # one column differs
    assert [i for i, c in enumerate(top) if c == " "] == [i for i, c in enumerate(bottom) if c == " "]
    assert check.caution == f"listen back: we heard {bottom}, your number is {top}"


def test_a_digit_too_many_leaves_the_brief_number_as_written() -> None:
    """Walked in tmux: "we heard 0116 4196 0732, your number is 0116 4 96 0732" read as if the
    trainee's own number had a gap in it."""
    check = check_number(
        "0116 496 0732", said("call me on zero one one six four one nine six zero seven three two")
    )
    assert check is not None and check.verdict is NumberVerdict.DIFFERS
    assert (check.expected, check.heard) == ("0116 496 0732", "0116 4196 0732")
    assert check.caution == "listen back: we heard 0116 4196 0732, your number is 0116 496 0732"


def test_lined_up_marks_a_digit_not_heard_and_one_too_many() -> None:
    assert lined_up(["0116", "496", "0732"], "0164960732") == ("0116 496 0732", "0·16 496 0732")
    top, bottom = lined_up(["0116", "496", "0732"], "011649607321")
    assert top.rstrip() == "0116 496 0732" and bottom == "0116 496 07321"


def test_no_number_heard_and_no_number_to_check() -> None:
    check = check_number("0116 496 0732", said("hi anne thanks bye"))
    assert check is not None and check.verdict is NumberVerdict.NOT_HEARD and check.heard == ""
    assert check_number("", said("one two three four five six seven")) is None


def test_groups_and_the_pause_before_the_number() -> None:
    text = "call me on 0116 496 0732 thanks"  # words 0-2, then the digits from word 3
    grouped = check_number("0116 496 0732", said(text, {3: 0.6, 7: 0.35, 10: 0.35}))
    assert grouped is not None and grouped.grouped is True and grouped.pause_before_s == 0.6
    run_on = check_number("0116 496 0732", said(text))
    assert run_on is not None and run_on.grouped is False and run_on.pause_before_s is not None
    assert run_on.pause_before_s < 0.3
    assert run_on.to_dict() == {"expected": "0116 496 0732", "heard": "0116 496 0732", "verdict": "same",
                                "grouped": False, "pause_before_s": 0.05}  # fmt: skip


def test_the_phone_hint_cautions_on_a_different_number_and_says_how_it_was_said() -> None:
    words = said("hi anne it's sam call me on 0116 496 073 thanks")
    hint = machine_hints(COLD_CALL, MEASURED, Transcript(tuple(words)))["phone_number"]
    assert mark("phone_number", hint) == "⚠" and "your number is 0116 496 0732" in hint.caution
    right = said("hi anne call me on 0116 496 0732 thanks", {5: 0.5, 9: 0.3, 12: 0.3})
    hint = machine_hints(COLD_CALL, MEASURED, Transcript(tuple(right)))["phone_number"]
    assert "your number, in groups, after a pause" in hint.evidence


def test_the_preview_is_the_first_words_as_a_phone_writes_them() -> None:
    words = said("hi anne it's sam patel from clearline i'm calling because firms like yours spend a great "
                 "deal on printing and we can help call me on 0116 496 0732")  # fmt: skip
    shown = preview_of(Transcript(tuple(words)), ("Anne Fletcher", "Sam Patel", "Clearline"))
    assert shown.startswith("Hi Anne it's Sam Patel from Clearline I'm calling")
    assert shown.endswith("…") and len(shown) <= 91 and not shown[:-1].endswith(" ")
    short = preview_of(Transcript(tuple(said("call me on 0116 496 0732"))))
    assert short == "Call me on 01164960732"
    assert preview_of(None) == "" and preview_of(Transcript(())) == ""


def test_the_first_ten_words_hold_both_names_or_say_which_is_missing() -> None:
    phrases = hint_phrases(COLD_CALL, "Sam Patel")
    good = first_words_hint(said("hi anne it's sam patel from clearline"), COLD_CALL, phrases, "Sam Patel")
    assert good.value is True and "“hi anne it's sam patel from clearline”" in good.evidence
    late = said("good morning I am calling about printers for your office today and this is anne's chance")
    hint = first_words_hint(late, COLD_CALL, phrases, "Sam Patel")
    assert hint.value is False and "their name or your name or company" in hint.evidence
    by_company = first_words_hint(said("hi anne it's clearline here"), COLD_CALL, phrases, "")
    assert by_company.value is True


OPENING = "hi anne it's sam patel from clearline i can cut your printing costs by a third"


def test_digits_heard_on_past_the_number_are_words_lost_not_a_follow_up_left_out() -> None:
    """Whisper carries on a run of digits it is writing: "…0275 nine seven seven seven eight" for
    "…0275. Otherwise, see you Thursday" (a held-out voice through a headset). The words after
    the number are lost, so what they would hold is ⚠, not ✗; the number itself stays ✓."""
    heard = said(f"{OPENING} call me on 0116 496 0732 9 7 7 7 8")
    hints = machine_hints(COLD_CALL, MEASURED, Transcript(tuple(heard)), caller="Sam Patel")
    for hint_id in ("follow_up", "date_time"):
        assert mark(hint_id, hints[hint_id]) == "⚠", hint_id
    start, end = digits_run_on("0116 496 0732", heard)
    assert (start, end) == (round(heard[-5].start_s, 2), round(heard[-1].end_s, 2))
    assert f"unsure what was said at {start:.1f}-{end:.1f} s" in hints["follow_up"].caution
    assert hints["phone_number"].value is True and hints["prospect_name"].value is True


def test_a_number_said_again_is_not_digits_run_on() -> None:
    """Said twice, even with a digit misheard the second time, or its last group again, the
    number leaves no doubt: a take without a follow-up is still ✗ for it."""
    for tail in ("0116 496 0732", "0116 496 0782", "0732", "496 0732", "7", "73"):
        heard = said(f"{OPENING} call me on 0116 496 0732 {tail}")
        assert digits_run_on("0116 496 0732", heard) is None, tail
        hints = machine_hints(COLD_CALL, MEASURED, Transcript(tuple(heard)), caller="Sam Patel")
        assert mark("follow_up", hints["follow_up"]) == "✗", tail


@given(
    st.text("0123456789", max_size=8),
    st.sampled_from(["0116 496 0732", "zero one one six for nine six um zero seven three two"]),
)
def test_digits_run_on_is_found_after_the_number_or_not_at_all(extra: str, number: str) -> None:
    digits = " ".join(DIGIT_NAMES[int(d)] for d in extra)
    heard = said(f"call me on {number} {digits} thanks")
    found = digits_run_on("0116 496 0732", heard)
    if len(extra) < 3:
        assert found is None
    if found is not None:
        number_end = next(w for w in heard if w.text == "two").start_s
        assert number_end < found[0] <= found[1] <= heard[-1].start_s
    if len(extra) >= 3 and not set(extra) & set("01"):  # nothing like the number's start said again
        assert found is not None, extra
