"""Reading a transcript: spoken numbers, phrases, and words as a writer would count them."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise, takewhile
from pathlib import Path

from simulator.analysis.record import Word

PHRASES_FILE = Path(__file__).with_name("phrases.toml")

_DIGITS = {"zero": 0, "oh": 0, "o": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
           "seven": 7, "eight": 8, "nine": 9}  # fmt: skip
_TEENS = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}  # fmt: skip
_NUMBER_WORDS = set(_DIGITS) | set(_TEENS) | set(_TENS) | {"hundred", "double", "triple", "and"}


@cache
def phrase_lists(path: Path = PHRASES_FILE) -> dict[str, list[str]]:
    with path.open("rb") as handle:
        return {k: [str(p).lower() for p in v] for k, v in tomllib.load(handle).items()}


@cache
def filler_sounds() -> frozenset[str]:
    """Sounds that are never words ("um", "er"): phrases, numbers and word counts read past them."""
    return frozenset(phrase_lists()["filler_sounds"])


@dataclass(frozen=True)
class NumberRun:
    """Consecutive number words, as the digits they say (e.g. "four hundred ninety six" -> "496"),
    read through filler sounds ("oh one one six, um, four nine six")."""

    digits: str
    start_s: float
    end_s: float
    first: int  # index of the first word
    last: int  # index after the last word
    words: int  # number words in it (not the fillers)


def _number_word(words: list[Word], index: int) -> str | None:
    """The number word said at ``index``, if any: "for" between two digits is "four", as Whisper
    writes it in "six for nine six"; so it is before a tens or teens word in a run of digits ("three
    one for ninety six"), but not after one digit alone ("at four for ten")."""
    text = words[index].text
    if text != "for":
        return text if text in _NUMBER_WORDS else None
    if not 0 < index < len(words) - 1 or words[index - 1].text not in _DIGITS:
        return None
    following = words[index + 1].text
    in_a_run = index >= 2 and words[index - 2].text in _DIGITS
    return "four" if following in _DIGITS or (in_a_run and following in _TENS | _TEENS) else None


def number_runs(words: list[Word]) -> list[NumberRun]:
    sounds = filler_sounds()
    runs: list[NumberRun] = []
    index = 0
    while index < len(words):
        if _number_word(words, index) in (None, "and"):
            index += 1
            continue
        start = index
        said: list[tuple[int, str]] = []  # the number words, with their index
        while index < len(words) and ((number := _number_word(words, index)) or words[index].text in sounds):
            if number:
                said.append((index, number))
            index += 1
        while said[-1][1] == "and":  # the first is a number, not "and"
            said.pop()
        index = said[-1][0] + 1
        digits = spoken_digits([number for _, number in said])
        if digits:
            end_s = words[index - 1].end_s
            runs.append(NumberRun(digits, words[start].start_s, end_s, start, index, len(said)))
    return runs


def spoken_digits(tokens: list[str]) -> str:
    """Digits said by number words: single digits, "double 7", teens, tens and hundreds."""
    out = ""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token in ("double", "triple") and following in _DIGITS:
            out += str(_DIGITS[following]) * (2 if token == "double" else 3)
            index += 2
        elif token in _DIGITS and following == "hundred":
            value, index = _DIGITS[token] * 100, index + 2
            if index < len(tokens) and tokens[index] == "and":
                index += 1
            rest, index = _below_hundred(tokens, index)
            out += str(value + (rest or 0))
        elif token in _TEENS or token in _TENS:
            value, index = _below_hundred(tokens, index)
            out += str(value)
        elif token in _DIGITS:
            out += str(_DIGITS[token])
            index += 1
        else:
            index += 1
    return out


def _below_hundred(tokens: list[str], index: int) -> tuple[int | None, int]:
    if index >= len(tokens):
        return None, index
    token = tokens[index]
    if token in _TEENS:
        return _TEENS[token], index + 1
    if token in _TENS:
        unit = tokens[index + 1] if index + 1 < len(tokens) else ""
        if unit in _DIGITS and unit != "oh" and _DIGITS[unit] > 0:
            return _TENS[token] + _DIGITS[unit], index + 2
        return _TENS[token], index + 1
    if token in _DIGITS and token != "oh":
        return _DIGITS[token], index + 1
    return None, index


def find_phrase(words: list[Word], phrase: str) -> tuple[int, int] | None:
    """Where ``phrase`` was said (word indexes), tolerating one mis-heard word in long phrases and
    skipping filler sounds ("call me, um, on" says "call me on")."""
    target = phrase.lower().replace(",", "").split()
    if not target:
        return None
    sounds = filler_sounds() - set(target)
    kept = [i for i, w in enumerate(words) if w.text not in sounds]
    spoken = [words[i].text for i in kept]
    allowed = 1 if len(target) >= 4 else 0
    for start in range(len(spoken) - len(target) + 1):
        window = spoken[start : start + len(target)]
        misses = sum(a != b for a, b in zip(window, target, strict=True))
        if misses <= allowed:
            return kept[start], kept[start + len(target) - 1] + 1
    return None


def find_each(words: list[Word], phrase: str) -> Iterator[tuple[int, int]]:
    """Every place ``phrase`` was said, first to last (as :func:`find_phrase` finds each)."""
    offset = 0
    while found := find_phrase(words[offset:], phrase):
        start, end = found[0] + offset, found[1] + offset
        yield start, end
        offset = start + 1


PHONE_DIGITS = 7  # a run of this many digits or more is a phone number, not a date or a count


def phone_runs(words: list[Word]) -> list[NumberRun]:
    """The runs of number words long enough to be a phone number."""
    return [run for run in number_runs(words) if len(run.digits) >= PHONE_DIGITS]


BREAK_WORDS = 2  # words between the pieces of a number heard broken ("0116 or? nine six then? or 732")
# ... or one word heard again and again: a repeated digit misheard the same each time ("three one two
# time time time zero one four seven" for "312 555 0147", in a voice the labelled set does not use)
REPEATED_BREAK_WORDS = 3


def _digit_by_digit(words: list[Word], run: NumberRun) -> bool:
    """Whether the run was said a digit at a time ("one one six four"), as phone numbers are, not
    "twenty one" or "ten thirty"."""
    said = words[run.first : run.last]
    allowed = {*_DIGITS, "double", "triple", "for", *filler_sounds()}  # "one one, um, six"
    return all(w.text in allowed for w in said)


def broken_phone_runs(words: list[Word]) -> list[NumberRun]:
    """Phone numbers heard in pieces: runs of digits said one at a time, none long enough alone,
    with at most :data:`BREAK_WORDS` words between each (one word besides "for", or words the
    recogniser doubted; or one word up to :data:`REPEATED_BREAK_WORDS` times), that make
    :data:`PHONE_DIGITS` digits or more together, each word between them counted as the digit it
    may stand for. An echo turns digits into words ("zero one free one four
    times six zero…" for "0131 496 0852", "one one six four nineties three two" for "0116 496
    0732"): the number was said, but not heard whole."""
    runs = [r for r in number_runs(words) if len(r.digits) < PHONE_DIGITS and _digit_by_digit(words, r)]
    found: list[NumberRun] = []
    pieces: list[NumberRun] = []
    for run in [*runs, None]:
        if run is not None and pieces:
            between = words[pieces[-1].last : run.first]
            breaks = [w for w in between if w.text != "for"]  # "six s for nine": "for" may be "four"
            doubted = len(between) <= BREAK_WORDS and (len(breaks) <= 1 or all(w.unclear for w in between))
            repeated = len(between) <= REPEATED_BREAK_WORDS and len({w.text for w in between}) == 1
            if doubted or repeated:
                pieces.append(run)
                continue
        between_words = sum(b.first - a.last for a, b in pairwise(pieces))
        if len(pieces) > 1 and sum(len(p.digits) for p in pieces) + between_words >= PHONE_DIGITS:
            first, last = pieces[0], pieces[-1]
            digits = "".join(p.digits for p in pieces)
            found.append(NumberRun(digits, first.start_s, last.end_s, first.first, last.last,
                                   sum(p.words for p in pieces)))  # fmt: skip
        pieces = [run] if run is not None else []
    return found


@dataclass(frozen=True)
class Filler:
    text: str
    start_s: float


# A filler is a hesitation: it is set apart by a pause on at least one side ("I, um, wanted"). The
# recogniser's timings give every filler in the synthesised filler set a gap of 0.10 s or more on one
# side, or a place at the start or end of what was heard; the vowel of "otherwise" heard as "uh, the
# one", or "firms like there's" for "firms like yours", ran straight into its neighbours (gaps under
# 0.05 s). A filler said with no pause at all is missed: the coach would rather miss one than make
# one up.
FILLER_PAUSE_S = 0.08


def fillers_in(words: list[Word]) -> list[Filler]:
    """Every filler said, in order: filler sounds ("um", "er"), and filler words ("like", "you
    know") where they are not doing a word's job (see phrases.toml); each set apart by a pause
    (:data:`FILLER_PAUSE_S`) on at least one side."""
    lists = phrase_lists()
    sounds = filler_sounds()
    not_after, not_before = set(lists["not_filler_after"]), set(lists["not_filler_before"])
    spoken = [w.text for w in words]
    found: list[Filler] = []
    for index, word in enumerate(spoken):
        if word in sounds:
            if _set_apart(words, index, index + 1):
                found.append(Filler(word, words[index].start_s))
            continue
        for phrase in lists["filler_words"]:
            end = index + len(phrase.split())
            if (
                spoken[index:end] == phrase.split()
                and (index == 0 or spoken[index - 1] not in not_after)
                and (end == len(spoken) or spoken[end] not in not_before)
                and _set_apart(words, index, end)
            ):
                found.append(Filler(phrase, words[index].start_s))
    return found


def _set_apart(words: list[Word], start: int, end: int) -> bool:
    """Whether words[start:end] begin or end what was heard, or have a pause on one side."""
    if start == 0 or end >= len(words):
        return True
    before = words[start].start_s - words[start - 1].end_s
    after = words[end].start_s - words[end - 1].end_s
    return max(before, after) >= FILLER_PAUSE_S


def written_word_count(words: list[Word]) -> int:
    """Words as a writer counts them: digits said one by one count one word per group of up to four
    ("0116 496 0732" is three words, and so is a number heard in broken groups), as targets such as
    "35 words or less including contact info" (seed 001) are written; filler sounds are not written."""
    sounds = filler_sounds()
    count = sum(w.text not in sounds for w in words)
    for run in number_runs(words):
        if len(run.digits) >= 3:
            count += -(-len(run.digits) // 4) - run.words
    return count


def spoken_before(words: list[Word], at: int, count: int) -> list[int]:
    """The indexes of the last ``count`` words before ``at`` that are not filler sounds."""
    sounds = filler_sounds()
    return [i for i in range(at) if words[i].text not in sounds][-count:] if count else []


def says_otherwise(words: list[Word], start: int, end: int, phrase: str) -> bool:
    """Whether the follow-up ``phrase`` found at ``start:end`` says something else: straight after a
    word of phrases.toml's ``not_follow_up_after`` ("thank you again on behalf of", "to see you again
    on"), within one of its ``not_follow_ups`` ("thank you again on", for "again on"; "see you
    again", for "see you"), or with a
    ``negations`` word in it or in the three words before it ("I won't try you again"), unless it
    starts a clause of its own (``starts_a_clause``: "if not, I'll try you again"). A word of the
    match that is not the phrase's was misheard for it ("sorry to try you again")."""
    lists = phrase_lists()
    own = set(phrase.split())
    before = [words[i].text for i in spoken_before(words, start, 3)]
    heard = [w.text for w in words[start:end]]
    negated = before  # a negation in the clause before is not this one's ("if not, I'll try you")
    if heard[0] in lists["starts_a_clause"]:
        negated = []
    lead = before + list(takewhile(lambda text: text not in own, heard))
    if any(lead[len(lead) - len(no.split()) :] == no.split() for no in lists["not_follow_up_after"]):
        return True
    around = " ".join(before + heard + [w.text for w in words[end : end + 2]])  # "see you" again
    if any(f" {saying} " in f" {around} " for saying in lists["not_follow_ups"]):
        return True
    return bool(set(negated + [text for text in heard if text not in own]) & set(lists["negations"]))
