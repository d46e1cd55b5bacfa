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
from simulator.analysis.sounds_like import sounds_like
from simulator.analysis.spoken import ordinal
from simulator.analysis.words import (
    broken_phone_runs,
    filler_sounds,
    find_each,
    find_phrase,
    number_runs,
    phone_runs,
    phrase_lists,
    says_otherwise,
    spoken_before,
    spoken_digits,
)
from simulator.scenarios import WEEKDAYS

ASK_WORDS = 3  # an ask's words before the number: "<verb> me on" ("oh me i'm" for "call me on")
ASKER_AND_ASK = 4  # "<verb> me on" and the word before it, which says who asked ("you rang me on")
WHEN_GOES = 2  # the day goes in the words straight after the follow-up ("try you again Thursday")
MAX_BEFORE_DAY = 3  # words like "on", "next" passed over before the day's place ("again on the")
FOLLOW_UP_REACH = 4  # a follow-up's first words and what follows them ("try to get on wednesday")
DOUBT_REACH = 2  # a doubted word straight after them ("trying to? get?")
# a number's first words: doubted, the ask before it may have been heard as digits ("from day one
# three? one? four" for "from day one. Ring me on 0131 4…")
NUMBER_STARTS = 2
DAYS_OF_THE_MONTH = tuple(tuple(ordinal(day)) for day in range(1, 32))  # ("first",) … ("thirty", "first")
NO_FOLLOW_UP = Hint(False, "no follow-up heard")


def _ask_before(words: list[Word], at: int) -> int | None:
    """Where "<verb> me on" ends straight before ``at`` (fillers aside), the verb's index: an ask to
    be called on the number, not "you rang me on" or "a message for me on"."""
    lists = phrase_lists()
    before = spoken_before(words, at, ASKER_AND_ASK)
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
    them to quote: a doubted word among the last two, or a word an ask ends in not after "me" or
    one that says where the number is ("your bins on" for "your vans. Call me on", not "our office
    is on"); "<verb> me <word>" where the verb may be one
    of asking and the word is not one said after "me" otherwise ("bring me down" for "ring me
    on", not "it's me again"); a doubted word three back ("oh? me i'm"). Else None."""
    lists = phrase_lists()
    before = spoken_before(words, at, ASK_WORDS)
    texts = [words[i].text for i in before]
    if len(before) < 2:
        return before[0] if before and words[before[0]].unclear else None
    blurred_end = texts[-1] in lists["ask_may_end_in"] and texts[-2] not in ("me", "us",
        *lists["says_where_before_number"])  # fmt: skip
    if blurred_end or any(words[i].unclear for i in before[-2:]):
        return before[-2]
    if len(before) < ASK_WORDS:
        return None
    if texts[1] == "me" and texts[2] not in lists["ask_may_end_in"] + lists["said_after_me"]:
        who = [words[i].text for i in spoken_before(words, before[0], 1)]  # "you rang me twice"
        if not {texts[0], *who} & {*lists["not_asking"], *lists["said_by_others"]}:
            return before[0]
    return before[0] if words[before[0]].unclear else None


def _not_an_ask(words: list[Word], start: int, end: int) -> bool:
    """Whether an ask's words found at ``start`` are the caller's of themselves ("I'll call back
    Thursday": phrases.toml's ``said_of_oneself``) or said not to be needed (``no_ask_after``:
    "you don't need to call me back")."""
    lists = phrase_lists()
    before = [words[i].text for i in spoken_before(words, start, 5)]
    if before and before[-1] in lists["said_of_oneself"]:
        return True
    return any(before[len(before) - len(no.split()) :] == no.split() for no in lists["no_ask_after"])


def call_to_action_hint(words: list[Word], phrases: list[str]) -> Hint:
    """A call to action heard (not :func:`_not_an_ask`), or "<verb> me on" straight before a phone
    number (the verb misheard). A number after words that may be an ask misheard
    (:func:`_ask_blurred_before`), or whose first words were doubted, with no ask heard, is unsure,
    not ✗."""
    hint = phrase_hint(words, phrases, "a call to action", "no call to action heard", _not_an_ask)
    if hint.value:
        return hint
    runs = phone_runs(words) + broken_phone_runs(words)  # "rent me on zero one free one four times…"
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
    for run in runs:
        if any(w.unclear for w in words[run.first : run.first + NUMBER_STARTS]):
            heard = quoted_at(words, run.first, run.first + NUMBER_STARTS)
            caution = f"{heard}, where your number starts, may be an ask misheard: listen back"
            return Hint(None, "no call to action made out for sure", caution)
    return hint


def _follow_up_at(words: list[Word], phrases: list[str]) -> tuple[int, int] | None:
    """Where they say when they will try again ("I'll try you again Thursday"), where it does not
    say something else (:func:`~simulator.analysis.words.says_otherwise`); or one of phrases.toml's
    ``follow_up_with_a_when`` with a day soon after ("speak to you Monday")."""
    for phrase in phrases:
        for start, end in find_each(words, phrase):
            if not says_otherwise(words, start, end, phrase):
                return start, end
    when = phrase_lists()["days"] + ["soon"]
    for phrase in phrase_lists()["follow_up_with_a_when"]:
        for start, end in find_each(words, phrase):
            reach = words[end : end + FOLLOW_UP_REACH]
            if any(find_phrase(reach, w) for w in when) and not says_otherwise(words, start, end, phrase):
                return start, end
    return None


def _follow_up_misheard(words: list[Word]) -> tuple[int, int] | None:
    """With no follow-up heard: where a follow-up's first words (phrases.toml's
    ``follow_up_starts``: "try", "see you") are heard after the last phone number (anywhere, if
    none was), said by the caller (after ``follow_up_subjects`` or a doubted word: "and i try",
    "other? ones? see you", not "did anyone call you" or "0116 … try our service"; or one of
    ``said_without_a_subject``: "wise see you first day"), with a day in
    the :data:`FOLLOW_UP_REACH` words after them or a doubted word straight after: those first
    words' (start, end); else None. A word that sounds like a day counts as one ("i'm trying you
    again first game morning")."""
    lists = phrase_lists()
    runs = phone_runs(words)
    after = runs[-1].last if runs else 0
    when = lists["days"] + lists["months"]
    for phrase in lists["follow_up_starts"]:
        for found_at, found_end in find_each(words[after:], phrase):
            start, end = found_at + after, found_end + after
            said_before = [words[i] for i in spoken_before(words, start, 1)]
            by_caller = phrase in lists["said_without_a_subject"] or any(
                w.text in lists["follow_up_subjects"] or w.unclear for w in said_before
            )
            reach = words[end : end + FOLLOW_UP_REACH]
            day = any(find_phrase(reach, w) for w in when) or any(_like_a_day(w.text) for w in reach)
            doubted = any(w.unclear for w in words[end : end + DOUBT_REACH])
            if by_caller and (day or doubted) and not says_otherwise(words, start, end, phrase):
                return start, end
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


def _next_spoken(words: list[Word], at: int) -> int:
    """The index of the first word from ``at`` that is not a filler sound; ``len(words)`` if none."""
    sounds = filler_sounds()
    return next((i for i in range(at, len(words)) if words[i].text not in sounds), len(words))


def _ends_a_when(words: list[Word], end: int) -> bool:
    """Whether a day or time said up to ``end`` ends there (fillers aside): the take ends, or one of
    phrases.toml's ``after_a_when`` follows ("the fourteenth at ten", "in the morning, thanks"),
    not "the first few" or "in the morning paper"."""
    following = _next_spoken(words, end)
    return following == len(words) or words[following].text in phrase_lists()["after_a_when"]


def _like_a_day(heard: str) -> bool:
    """Whether a word heard where a day goes sounds like one ("windy" for "Wednesday", "first" for
    "Thursday"), and is not one of phrases.toml's ``said_instead_of_a_day``."""
    lists = phrase_lists()
    return heard not in lists["said_instead_of_a_day"] and any(
        sounds_like(heard, day) for day in lists["days_as_said"]
    )


def _day_maybe_misheard(words: list[Word], after: int) -> tuple[int, int] | None:
    """Where the day goes after a follow-up ending at ``after`` (past "on", "next", "the" …), when
    what was heard there may be a day misheard: a word the recogniser doubted ("try you again first
    game morning"); a word that sounds like a day ("again on windy", "flight afternoon"); a number
    that could be a day of the month, ending the take or before a time of day ("again thirteen
    morning"); a time of day with no day ("again for the morning" for "again Thursday morning").
    Else None."""
    lists = phrase_lists()
    start = after
    while start < min(len(words), after + MAX_BEFORE_DAY) and words[start].text in lists["before_a_day"]:
        start += 1
    end = min(len(words), start + WHEN_GOES)
    if start >= end:
        return None
    doubted = any(w.unclear for w in words[after:end])
    first = words[start].text  # where the day's name itself goes
    like_a_day = _like_a_day(first)
    day_number = any(  # "thirteen morning", not "one more time" or "five minutes"
        1 <= int(run.digits) <= 31 and _ends_a_when(words, run.last)
        for run in number_runs(words)
        if start <= run.first < end and len(run.digits) <= 2
    )
    timed = first in lists["times_of_day"]
    return (start, end) if doubted or like_a_day or day_number or timed else None


def _date_at(words: list[Word]) -> tuple[int, int] | None:
    """Where a day of the month is said ("on the fourteenth", "by the 21st at ten", "the eleventh
    of May"): "the" and an ordinal after one of phrases.toml's ``before_a_date`` (or a day's name),
    ending the take or followed by one of its ``after_a_when``; or before "of" and a month ("of
    next month"). Not "for the first time", "by the second half", "the third of our clients"."""
    lists = phrase_lists()
    months = [m.removeprefix("in ") for m in lists["months"]] + ["next month", "this month"]
    dating = set(lists["before_a_date"]) | {d for d in lists["days"] if " " not in d}
    for day in DAYS_OF_THE_MONTH:
        for at, end in find_each(words, " ".join(("the", *day))):
            before = [words[i].text for i in spoken_before(words, at, 1)]
            of_at = _next_spoken(words, end)
            if of_at < len(words) and words[of_at].text == "of":
                if any(find_phrase(words[of_at + 1 : of_at + 3], m) for m in months):
                    return at, of_at + 1
            elif before and before[0] in dating and _ends_a_when(words, end):
                return at, end
    return None


def _when_after(words: list[Word], after: int) -> tuple[int, int] | None:
    """Where one of phrases.toml's ``when_after_a_follow_up`` is said in the words after a follow-up
    ending at ``after`` ("I'll try you again this week")."""
    reach = words[after : after + MAX_BEFORE_DAY + WHEN_GOES]
    for when in phrase_lists()["when_after_a_follow_up"]:
        if found := find_phrase(reach, when):
            return found[0] + after, found[1] + after
    return None


def _hour_at(words: list[Word]) -> tuple[int, int] | None:
    """Where an hour is said as a time: after one of phrases.toml's ``before_an_hour`` ("at ten",
    "around eleven", "half nine", "at ten thirty"), ending a when (:func:`_ends_a_when`)."""
    before = phrase_lists()["before_an_hour"]
    for run in number_runs(words):
        said_before = spoken_before(words, run.first, 1)  # "at, um, ten" quotes "at"
        if len(run.digits) > 4 or not said_before or words[said_before[0]].text not in before:
            continue
        hour, minutes = (run.digits[:-2], run.digits[-2:]) if len(run.digits) > 2 else (run.digits, "00")
        if 1 <= int(hour) <= 12 and int(minutes) < 60 and _ends_a_when(words, run.last):
            return said_before[0], run.last
    return None


def _time_of_day_at(words: list[Word]) -> tuple[int, int] | None:
    """Where "in the morning" (afternoon, evening) is said as a time (:func:`_ends_a_when`)."""
    for time_of_day in phrase_lists()["times_of_day"]:
        for start, end in find_each(words, f"in the {time_of_day}"):
            if _ends_a_when(words, end):
                return start, end
    return None


def other_day_caution(words: list[Word], meeting_day: str) -> str:
    """Where the brief fixes the meeting's day and the take names another weekday and never that
    one, what to listen for (a caution, never a ✗: the recogniser may have misheard the day)."""
    said = {word.text for word in words}
    if not meeting_day or meeting_day.lower() in said:
        return ""
    others = [day for day in WEEKDAYS if day.lower() in said]
    if not others:
        return ""
    return f"we heard {others[0]}, but the meeting is on {meeting_day}: listen back"


def date_time_hint(words: list[Word], follow_up: list[str]) -> Hint:
    """A day, date or time heard. Where none was, but what stands in the day's place after a
    follow-up, heard or misheard, may be one misheard (:func:`_day_maybe_misheard`), unsure
    (⚠ listen back), not ✗."""
    lists = phrase_lists()
    for run in number_runs(words):
        following = words[run.last].text if run.last < len(words) else ""
        if following in lists["clock_after_number"]:
            return Hint(True, f"when: {quoted_at(words, run.first, run.last + 1)}")
    hint = phrase_hint(words, lists["days"] + lists["months"] + lists["clock"], "when",
                       "no day, date or time heard")  # fmt: skip
    if hint.value:
        return hint
    if dated := _date_at(words) or _time_of_day_at(words) or _hour_at(words):
        return Hint(True, f"when: {quoted_at(words, *dated)}")
    found = _follow_up_at(words, follow_up) or _follow_up_misheard(words)
    if found and (said := _when_after(words, found[1])):
        return Hint(True, f"when: {quoted_at(words, *said)}")
    place = _day_maybe_misheard(words, found[1]) if found else None
    if found is not None and place is not None:
        misheard = f"{quoted_at(words, *place)}, after {quoted(words, *found)}"
        return Hint(
            None, "no day, date or time made out for sure", f"{misheard} may be a day misheard: listen back"
        )
    if (on := _on_a_day_misheard(words)) is not None:
        caution = f"{quoted_at(words, on, on + 2)} may be a day misheard: listen back"
        return Hint(None, "no day, date or time made out for sure", caution)
    return hint


def _on_a_day_misheard(words: list[Word]) -> int | None:
    """Where "on" is followed by a word that sounds like a day and then a day of the month or a time
    of day, with no follow-up before it ("I am calling on mandy the eleven" for "on Monday the
    eleventh", a flite voice on one dead channel of a stereo microphone); not "on free trade" or
    "on safety": many words sound like a day; nor "the one thing". Else None."""
    times = phrase_lists()["times_of_day"]
    texts = [w.text for w in words]
    for i in range(len(words) - 2):
        if texts[i] != "on" or not _like_a_day(texts[i + 1]):
            continue
        at = i + 3 if texts[i + 2] == "the" else i + 2
        said = texts[at] if at < len(texts) else ""
        number = spoken_digits([said]) if said != "one" else ""
        ordinal = any(tuple(texts[at : at + len(day)]) == day for day in DAYS_OF_THE_MONTH)
        if said in times or ordinal or (number.isdigit() and 1 <= int(number) <= 31):
            return i
    return None
