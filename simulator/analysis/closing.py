"""The close of a message: the call to action, the follow-up and its day (seeds 000, 001, 004).

A voicemail ends in an ask ("call me on …"), the next try ("I'll try you again") and when ("on
Thursday"). These are the words an echoey room or a neighbour blurs most (issue #16): through a
laptop's microphone "ring me on" came back "bring me down", "I'll try you again on Wednesday"
"i try to get on wednesday", and "Wednesday" "windy". Each check knows where its words go (before
the number, after the number, after the follow-up); where no phrase was heard but what stands in
that place may be it misheard, the hint is unsure (⚠ listen back), not ✗.
"""

from __future__ import annotations

from simulator.analysis.evidence import phrase_hint, quoted, quoted_at
from simulator.analysis.record import Hint, Word
from simulator.analysis.spoken import ordinal
from simulator.analysis.words import find_phrase, number_runs, phrase_lists, says_otherwise, spoken_before

ASK_WORDS = 3  # an ask's words before the number: "<verb> me on" ("oh me i'm" for "call me on")
PHONE_DIGITS = 7  # a run of this many digits or more is a phone number, not a date or a count
WHEN_GOES = 2  # the day goes in the words straight after the follow-up ("try you again Thursday")
MAX_BEFORE_DAY = 3  # words like "on", "next" passed over before the day's place ("again on the")
FOLLOW_UP_REACH = 4  # a follow-up's first words and what follows them ("try to get on wednesday")
NO_FOLLOW_UP = Hint(False, "no follow-up heard")


def _ask_before(words: list[Word], at: int) -> int | None:
    """Where "<verb> me on" ends straight before ``at`` (fillers aside), the verb's index: an ask to
    be called on the number, not "you rang me on" or "a message for me on"."""
    lists = phrase_lists()
    before = spoken_before(words, at, 4)
    texts = [words[i].text for i in before]
    for ask in lists["asks_before_number"]:
        verb = len(texts) - len(ask.split()) - 1
        if verb < 0 or texts[verb + 1 :] != ask.split() or texts[verb] in lists["not_asking"]:
            continue
        if verb == 0 or texts[verb - 1] not in lists["said_by_others"]:
            return before[verb]
    return None


def _ask_blurred_before(words: list[Word], at: int) -> int | None:
    """Where the words straight before the number at ``at`` may be an ask misheard, the first of
    them to quote: a word the recogniser doubted among the last :data:`ASK_WORDS` ("oh? me i'm");
    "<verb> me <word>" ("bring me down" for "ring me on"); a word an ask ends in, not after "me"
    ("your bins on" for "your vans. Call me on"). Else None."""
    lists = phrase_lists()
    before = spoken_before(words, at, ASK_WORDS)
    texts = [words[i].text for i in before]
    if len(before) < 2:
        return before[0] if before and words[before[0]].unclear else None
    if any(words[i].unclear for i in before[-2:]) or (
        texts[-1] in lists["ask_may_end_in"] and texts[-2] != "me"
    ):
        return before[-2]
    if len(before) < ASK_WORDS:
        return None
    if texts[1] == "me" and texts[2] not in lists["ask_may_end_in"]:
        who = [words[i].text for i in spoken_before(words, before[0], 1)]  # "you rang me twice"
        if not {texts[0], *who} & {*lists["not_asking"], *lists["said_by_others"]}:
            return before[0]
    return before[0] if words[before[0]].unclear else None


def call_to_action_hint(words: list[Word], phrases: list[str]) -> Hint:
    """A call to action heard, or "<verb> me on" straight before a phone number (the verb misheard).
    A number after words that may be an ask misheard (:func:`_ask_blurred_before`), with no ask
    heard, is unsure, not ✗."""
    hint = phrase_hint(words, phrases, "a call to action", "no call to action heard")
    if hint.value:
        return hint
    runs = [run for run in number_runs(words) if len(run.digits) >= PHONE_DIGITS]
    for run in runs:
        verb = _ask_before(words, run.first)
        if verb is not None:
            return Hint(True, f"a call to action: {quoted_at(words, verb, run.first)}, then a number")
    for run in runs:
        start = _ask_blurred_before(words, run.first)
        if start is not None:
            heard = quoted_at(words, start, run.first)
            caution = f"{heard}, before your number, may be an ask misheard: listen back"
            return Hint(None, "no call to action made out for sure", caution)
    return hint


def _follow_up_at(words: list[Word], phrases: list[str]) -> tuple[int, int] | None:
    """Where they say when they will try again ("I'll try you again Thursday"), where it does not
    say something else (:func:`~simulator.analysis.words.says_otherwise`)."""
    for phrase in phrases:
        offset = 0
        while found := find_phrase(words[offset:], phrase):
            start, end = found[0] + offset, found[1] + offset
            if not says_otherwise(words, start, end, phrase):
                return start, end
            offset = start + 1
    return None


def _follow_up_misheard(words: list[Word]) -> tuple[int, int] | None:
    """With no follow-up heard: where a follow-up's first words (phrases.toml's
    ``follow_up_starts``: "try", "see you") are heard after the last phone number, with a day or a
    word the recogniser doubted in the :data:`FOLLOW_UP_REACH` words after them: those first words
    (start, end); else None."""
    lists = phrase_lists()
    runs = [run for run in number_runs(words) if len(run.digits) >= PHONE_DIGITS]
    after = runs[-1].last if runs else 0
    when = lists["days"] + lists["months"]
    for phrase in lists["follow_up_starts"]:
        offset = after
        while found := find_phrase(words[offset:], phrase):
            start, end = found[0] + offset, found[1] + offset
            reach = words[end : end + FOLLOW_UP_REACH]
            day = any(find_phrase(reach, w) for w in when)
            within = start > 0 and words[start - 1].text == "to"  # "lovely to see you on tuesday"
            if (
                (day or any(w.unclear for w in reach))
                and not within
                and not says_otherwise(words, start, end, phrase)
            ):
                return start, end
            offset = start + 1
    return None


def follow_up_hint(words: list[Word], phrases: list[str]) -> Hint:
    """A follow-up heard; where none was but one may have been misheard (:func:`_follow_up_misheard`),
    unsure (⚠ listen back), not ✗."""
    if found := _follow_up_at(words, phrases):
        return Hint(True, f"when you'll try again: {quoted_at(words, *found)}")
    if misheard := _follow_up_misheard(words):
        reach = min(len(words), misheard[1] + FOLLOW_UP_REACH)
        caution = f"{quoted_at(words, misheard[0], reach)} may be a follow-up misheard: listen back"
        return Hint(None, "no follow-up made out for sure", caution)
    return NO_FOLLOW_UP


def _days_place(words: list[Word], after: int) -> tuple[int, int] | None:
    """Where the day goes after a follow-up ending at ``after`` (past "on", "next", "the" …), when
    what was heard there may be a day misheard: a word the recogniser doubted ("try you again first
    game morning"); a number too short for a phone number ("again thirteen morning"); a word on its
    own after "on" at the end of the take ("again on windy"); a time of day with no day before it
    ("again for the morning" for "again Thursday morning"). Else None."""
    lists = phrase_lists()
    start = after
    while start < min(len(words), after + MAX_BEFORE_DAY) and words[start].text in lists["before_a_day"]:
        start += 1
    end = min(len(words), start + WHEN_GOES)
    if start >= end:
        return None
    doubted = any(w.unclear for w in words[after:end])
    counted = any(start <= run.first < end and len(run.digits) < PHONE_DIGITS for run in number_runs(words))
    alone = end == len(words) == start + 1 and "on" in (w.text for w in words[after:start])
    timed = any(w.text in lists["times_of_day"] for w in words[after : end + 1])  # "for the morning"
    return (start, end) if doubted or counted or alone or timed else None


DAYS_OF_THE_MONTH = tuple(" ".join(ordinal(day)) for day in range(1, 32))


def _date_at(words: list[Word]) -> tuple[int, int] | None:
    """Where a day of the month is said ("on the fourteenth", "by the 21st", "the eleventh of"):
    "the" and an ordinal, after one of phrases.toml's ``before_a_date`` or before "of", and not
    before one of its ``counted_after_ordinal`` ("on the first floor", "for the second time")."""
    lists = phrase_lists()
    texts = [w.text for w in words]
    for day in DAYS_OF_THE_MONTH:
        said = ["the", *day.split()]
        for at in range(len(texts) - len(said) + 1):
            end = at + len(said)
            if texts[at:end] != said:
                continue
            before, after = texts[at - 1] if at else "", texts[end] if end < len(texts) else ""
            dated = before in lists["before_a_date"] or after == "of"
            if dated and after not in lists["counted_after_ordinal"]:
                return max(0, at - 1), end
    return None


def date_time_hint(words: list[Word], follow_up: list[str]) -> Hint:
    """A day, date or time heard. Where none was, but what stands in the day's place after a
    follow-up, heard or misheard, may be one misheard (:func:`_days_place`), unsure (⚠ listen
    back), not ✗."""
    lists = phrase_lists()
    for run in number_runs(words):
        following = words[run.last].text if run.last < len(words) else ""
        if following in lists["clock_after_number"]:
            return Hint(True, f"when: {quoted_at(words, run.first, run.last + 1)}")
    hint = phrase_hint(words, lists["days"] + lists["months"] + lists["clock"], "when",
                       "no day, date or time heard")  # fmt: skip
    if hint.value:
        return hint
    if dated := _date_at(words):
        return Hint(True, f"when: {quoted_at(words, *dated)}")
    found = _follow_up_at(words, follow_up) or _follow_up_misheard(words)
    place = _days_place(words, found[1]) if found else None
    if found is None or place is None:
        return hint
    caution = f"{quoted_at(words, *place)}, after {quoted(words, *found)}, may be a day misheard: listen back"
    return Hint(None, "no day, date or time made out for sure", caution)
