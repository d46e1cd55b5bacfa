"""The campaign-level checks of a step's take (issue #19), beside the trainee's own rating.

- ``stands_alone``: no reference to earlier calls or messages (seeds 000, 002; phrases.toml's
  ``refers_back``).
- ``something_new``: not a repeat of the trainee's earlier messages in the campaign: the share of
  this message's content words that an earlier message had, with the phrases they share.
- ``says_when``: when you'll try again, and the day said fits the campaign's next step (seed 000:
  "let them know that you'll try them again"; seed 004: day, date and time).
- ``contact``: a number or an email in every message: any one may be the only one heard (seed 000).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta

from simulator.analysis.record import Hint, Word
from simulator.analysis.transcribe import spelled
from simulator.analysis.words import filler_sounds, find_phrase, phrase_lists, says_otherwise, spoken_digits
from simulator.campaigns import when
from simulator.scenarios import CampaignPlace, EarlierMessage, Scenario

# A message sharing half or more of its content words with an earlier one repeats it. On the
# labelled pairs (bench/bench_campaign.py) the repeats share 0.6 or more, the new messages 0.3 or
# less, spoken or written; 0.5 sits between with room on both sides.
REPEAT_SHARE = 0.5
MIN_RUN = 3  # a repeated phrase: three words or more in a row, two of them content words
FOLLOW_UP_REACH = 8  # the day of the next try is said within eight words of "I'll try you again"
_COUNTING = frozenset({"hundred", "thousand", "double", "triple", "percent"})
RELATIVE_DAYS = ("next week", "next month", "tomorrow", "later today", "this afternoon")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Repetition:
    """How much of a message an earlier one already said."""

    step: int
    share: float  # of this message's content words, the share the earlier message had
    phrases: tuple[str, ...]  # the runs of words both said, longest first

    def shown(self) -> str:
        return f"{self.share:.0%} of its content words were in message {self.step}"


def content_words(words: list[str], scenario: Scenario) -> set[str]:
    """The words that carry what a message says: not function words, fillers, numbers, days, names
    or the brief's company and email."""
    lists = phrase_lists()
    left_out = set(lists["common_words"]) | filler_sounds() | set(WEEKDAYS)
    names = (scenario.prospect.name, scenario.prospect.company, scenario.brief.caller, scenario.brief.company)
    for text in (*names, scenario.brief.email):
        left_out |= set(spelled(text.replace(".", " ").replace("@", " ")).split())
    plain = {w.removesuffix("'s") for w in words}  # "marcus's" is Marcus
    return {w for w in plain if w not in left_out and not spoken_digits([w]) and w not in _COUNTING}


def repetition(words: list[str], earlier: list[str], step: int, scenario: Scenario) -> Repetition:
    """What ``words`` repeat of an earlier message's ``earlier`` words."""
    mine = content_words(words, scenario)
    shared = mine & content_words(earlier, scenario)
    share = len(shared) / len(mine) if mine else 0.0
    return Repetition(step, share, shared_phrases(words, earlier, mine))


def most_repeated(
    words: list[str], earlier: Iterable[EarlierMessage], scenario: Scenario
) -> Repetition | None:
    """What ``words`` repeat of the heard earlier message they share most with; None when no
    earlier message was heard. The Results check and the campaign summary both use this one."""
    found = [repetition(words, list(m.words), m.step, scenario) for m in earlier if m.words is not None]
    return max(found, key=lambda r: r.share) if found else None


def shared_phrases(words: list[str], earlier: list[str], content: set[str]) -> tuple[str, ...]:
    """Runs of :data:`MIN_RUN` or more words said in both, holding two content words or more; a
    number ends a run (the number is meant to be in every message), as do the function words at
    either end of one ("the backup paperwork auditors ask for")."""
    sounds = filler_sounds()
    mine = [w for w in words if w not in sounds]
    theirs = [w for w in earlier if w not in sounds]
    grams = {tuple(theirs[i : i + MIN_RUN]) for i in range(len(theirs) - MIN_RUN + 1)}
    shared = [False] * len(mine)
    for i in range(len(mine) - MIN_RUN + 1):
        if tuple(mine[i : i + MIN_RUN]) in grams:
            shared[i : i + MIN_RUN] = [True] * MIN_RUN
    number = _in_numbers(mine)
    runs: list[list[str]] = [[]]
    for index, word in enumerate(mine):
        if shared[index] and not number[index]:
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    kept = []
    for run in runs:
        start, end = 0, len(run)
        while start < end and run[start] not in content:
            start += 1
        while end > start and run[end - 1] not in content:
            end -= 1
        if sum(w in content for w in run[start:end]) >= 2:
            kept.append(" ".join(run[start:end]))
    return tuple(sorted(kept, key=len, reverse=True))


def _in_numbers(words: list[str]) -> list[bool]:
    """Which words belong to a number said digit by digit (three number words or more in a row)."""
    marks = [bool(spoken_digits([w])) for w in words]
    inside = [False] * len(words)
    start = 0
    for index in range(len(words) + 1):
        if index == len(words) or not marks[index]:
            if index - start >= 3:
                inside[start:index] = [True] * (index - start)
            start = index + 1
    return inside


def campaign_hints(
    words: list[Word], scenario: Scenario, place: CampaignPlace, hints: Mapping[str, Hint]
) -> dict[str, Hint]:
    """The four campaign-level checks of a step's take, given the take's other hints."""
    return {
        "stands_alone": stands_alone_hint(words),
        "something_new": something_new_hint([w.text for w in words], scenario, place),
        "says_when": says_when_hint(words, place, hints.get("follow_up")),
        "contact": contact_hint(words, scenario, hints.get("phone_number")),
    }


def stands_alone_hint(words: list[Word]) -> Hint:
    for phrase in phrase_lists()["refers_back"]:
        found = find_phrase(words, phrase)
        if found:
            said = " ".join(w.text for w in words[found[0] : found[1]])
            return Hint(False, f"refers back: \u201c{said}\u201d at {words[found[0]].start_s:.1f} s")
    return Hint(True, "no reference to earlier calls or messages heard")


def something_new_hint(words: list[str], scenario: Scenario, place: CampaignPlace) -> Hint:
    if not place.earlier:
        return Hint(True, "your first message: nothing to repeat yet")
    missing = ", ".join(str(m.step) for m in place.earlier if m.words is None)
    unknown = f"cannot compare with message {missing} (its take is missing)" if missing else ""
    most = most_repeated(words, place.earlier, scenario)
    if most is None:
        return Hint(None, unknown)
    shown = "; ".join(f"\u201c{p}\u201d" for p in most.phrases[:3])
    share = most.shown() + (f" ({shown})" if shown else "")
    share += f"; {unknown}" if unknown else ""
    if most.share >= REPEAT_SHARE:
        return Hint(False, f"repeats message {most.step}: {share}")
    return Hint(True, f"new: {share}", caution="repeats a phrase" if most.phrases else "")


def says_when_hint(words: list[Word], place: CampaignPlace, follow_up: Hint | None = None) -> Hint:
    """ "I'll try you again on Thursday", with Thursday the next step's simulated day. Every
    follow-up phrase heard is tried; the day is looked for from the phrase to
    :data:`FOLLOW_UP_REACH` words after it, filler sounds skipped. With none heard where the
    ``follow_up`` hint found one that may be misheard ("i'll try your wednesday"), unsure as it is."""
    sounds = filler_sounds()
    windows = _follow_up_windows([w for w in words if w.text not in sounds])
    if not windows and follow_up is not None and follow_up.value is None and follow_up.caution:
        return Hint(None, follow_up.evidence, follow_up.caution)
    if not windows:
        return Hint(False, "no \u201cI'll try you again\u201d heard")
    said = [told for window in windows for told in _days_said(window)]
    if place.next_at is None:
        return Hint(bool(said), "your last message: " + (f"you said {said[0]}" if said else "no day said"))
    expected = f"your next call is {when(place.next_at)}"
    for told in said:
        if _fits(told, place):
            return Hint(True, f"you said {told}; {expected}")
    if said:
        return Hint(False, f"you said {said[0]}, but {expected}")
    return Hint(False, f"you said you'd try again, but not when; {expected}")


def _follow_up_windows(words: list[Word]) -> list[str]:
    """From each follow-up phrase heard (phrases.toml's ``follow_up`` and ``next_try``) to
    :data:`FOLLOW_UP_REACH` words past its end, in the order said, as text padded with spaces; not
    where the phrase says something else ("I won't try you again on Friday", "thank you again on
    behalf of": :func:`~simulator.analysis.words.says_otherwise`), as the follow-up hint reads it."""
    lists = phrase_lists()
    spoken = [w.text for w in words]
    windows = []
    for phrase in lists["follow_up"] + lists["next_try"]:
        offset = 0
        while (found := find_phrase(words[offset:], phrase)) is not None:
            start, end = found[0] + offset, found[1] + offset
            if not says_otherwise(words, start, end, phrase):
                windows.append((start, f" {' '.join(spoken[start : end + FOLLOW_UP_REACH])} "))
            offset = end
    return [text for _, text in sorted(windows)]


def _days_said(window: str) -> list[str]:
    return [day for day in (*WEEKDAYS, *RELATIVE_DAYS) if f" {day} " in window]


def _fits(told: str, place: CampaignPlace) -> bool:
    """Whether a day said fits the next step: its weekday, this week or next; "next week", the
    week after this one; "tomorrow", the next day; "next month", a later month within two."""
    assert place.next_at is not None
    at, then = place.at.date(), place.next_at.date()
    weeks = ((then - timedelta(days=then.weekday())) - (at - timedelta(days=at.weekday()))).days // 7
    if told in WEEKDAYS:
        return WEEKDAYS[then.weekday()] == told and 0 <= weeks <= 1 and then > at
    return {
        "next week": weeks == 1,
        "next month": (then.year, then.month) > (at.year, at.month) and (then - at).days <= 62,
        "tomorrow": then == at + timedelta(days=1),
        "later today": then == at,
        "this afternoon": then == at,
    }[told]


def contact_hint(words: list[Word], scenario: Scenario, phone: Hint | None) -> Hint:
    if phone is not None and phone.value:
        return Hint(True, phone.evidence, phone.caution)
    email = scenario.brief.email
    local = spelled(email.split("@")[0].replace(".", " ")) if "@" in email else ""
    if local and find_phrase(words, local):
        return Hint(True, f"your email: {local} at ...")
    if phone is not None and phone.value is None:
        return Hint(None, phone.evidence, phone.caution)
    return Hint(False, "no number or email heard: this message may be the only one they hear")
