"""What the prospect's phone makes of the message: the number they write down, and the preview
that shows its first words in a notification (issue #18).

Plain functions of the words heard: the recogniser, the line and the screens are elsewhere.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from simulator.analysis.evidence import quoted_at
from simulator.analysis.record import Hint, Transcript, Word
from simulator.analysis.words import NumberRun, broken_phone_runs, number_runs, phone_runs, spoken_digits

GROUP_PAUSE_S = 0.12  # a pause between two groups of digits, longer than between the digits in one
PAUSE_BEFORE_S = 0.3  # "my number is … 0116": a breath, so the pen is ready
PREVIEW_CHARS = 90  # about what a phone's voicemail notification shows
NOT_HEARD_DIGIT = "·"  # where a digit of the number was not heard


class NumberVerdict(StrEnum):
    SAME = "same"
    DIFFERS = "differs"
    NOT_HEARD = "not heard"


@dataclass(frozen=True)
class NumberCheck:
    """The brief's callback number against the digits heard, grouped as the number is written."""

    expected: str  # "0116 496 0732", as the brief writes it
    heard: str  # the digits heard, grouped as ``expected`` ("0·16 496 0732"); "" when not heard
    verdict: NumberVerdict
    grouped: bool | None = None  # a pause between each written group; None: cannot tell
    pause_before_s: float | None = None  # the silence before the first digit; None: cannot tell

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"expected": self.expected, "heard": self.heard, "verdict": self.verdict.value}
        if self.grouped is not None:
            data["grouped"] = self.grouped
        if self.pause_before_s is not None:
            data["pause_before_s"] = round(self.pause_before_s, 2)
        return data

    @property
    def caution(self) -> str:
        """What to listen for when the number heard is not the brief's: never a ✗, as the
        recogniser can drop a digit the trainee said."""
        if self.verdict is not NumberVerdict.DIFFERS:
            return ""
        return f"listen back: we heard {self.heard}, your number is {self.expected}"


def digit_groups(number: str) -> list[str]:
    """The groups of digits a number is written in: "0116 496 0732" -> ["0116", "496", "0732"]."""
    return re.findall(r"\d+", number)


def lined_up(groups: list[str], heard: str) -> tuple[str, str]:
    """The written number and the digits heard, column by column: a digit not heard is
    :data:`NOT_HEARD_DIGIT` in the heard line, a digit heard that the number lacks is a space in
    the written line; both break where the written number does."""
    ends = {sum(len(g) for g in groups[: n + 1]) for n in range(len(groups) - 1)}
    top, bottom = "", ""
    done = 0  # digits of the written number placed so far
    for wanted, got in _aligned("".join(groups), heard):
        if wanted and done in ends:
            top, bottom = top + " ", bottom + " "
        top += wanted or " "
        bottom += got or NOT_HEARD_DIGIT
        done += bool(wanted)
    return top, bottom


def _aligned(expected: str, heard: str) -> list[tuple[str, str]]:
    """The fewest edits from ``expected`` to ``heard`` (Levenshtein), as column pairs ("" where a
    side has no digit); a changed digit is one column, not a dropped and an added one."""
    rows, cols = len(expected) + 1, len(heard) + 1
    cost = [[i + j if i == 0 or j == 0 else 0 for j in range(cols)] for i in range(rows)]
    for i in range(1, rows):
        for j in range(1, cols):
            cost[i][j] = min(cost[i - 1][j - 1] + (expected[i - 1] != heard[j - 1]),
                             cost[i - 1][j] + 1, cost[i][j - 1] + 1)  # fmt: skip
    pairs: list[tuple[str, str]] = []
    i, j = len(expected), len(heard)
    while i or j:
        if i and j and cost[i][j] == cost[i - 1][j - 1] + (expected[i - 1] != heard[j - 1]):
            pairs.append((expected[i - 1], heard[j - 1]))
            i, j = i - 1, j - 1
        elif i and cost[i][j] == cost[i - 1][j] + 1:
            pairs.append((expected[i - 1], ""))
            i -= 1
        else:
            pairs.append(("", heard[j - 1]))
            j -= 1
    return pairs[::-1]


def check_number(number: str, words: list[Word]) -> NumberCheck | None:
    """The brief's ``number`` against the closest run of digits heard; None when there is no number."""
    groups = digit_groups(number)
    expected = "".join(groups)
    if len(expected) < 3:
        return None
    written = " ".join(groups)
    runs = [run for run in number_runs(words) if len(run.digits) >= min(5, len(expected))]
    if not runs:
        return NumberCheck(written, "", NumberVerdict.NOT_HEARD)
    run = max(runs, key=lambda r: (expected in r.digits, _likeness(expected, r.digits)))
    if expected in run.digits:
        return NumberCheck(written, written, NumberVerdict.SAME, _grouped(words, run, groups, expected),
                           _pause_before(words, run))  # fmt: skip
    # the brief's number as written: a digit too many is a gap in the top line of a column view,
    # and read as one line ("your number is 0116 4 96 0732") the gap looked like part of it
    _, heard = lined_up(groups, run.digits)
    return NumberCheck(written, heard, NumberVerdict.DIFFERS, None, _pause_before(words, run))


RUN_ON_DIGITS = 3  # digits heard straight after the brief's number, not said again from it


def digits_run_on(number: str, words: list[Word]) -> tuple[float, float] | None:
    """Where the recogniser carried a number on past the brief's (start, end) in seconds: three or
    more digits heard straight after it that are not part of it said again. Whisper continues a run
    of digits it is writing ("…0275 nine seven seven seven eight" for "…0275. Otherwise, see you
    Thursday"): what was said there is lost, not left out. None when that is not so."""
    expected = "".join(digit_groups(number))
    if len(expected) < 7:
        return None
    for run in number_runs(words):
        at = run.digits.find(expected)
        extra = run.digits[at + len(expected) :] if at >= 0 else ""
        again = extra in expected or _likeness(extra, expected[: len(extra)]) > 0.5  # misheard or not
        if len(extra) < RUN_ON_DIGITS or again:  # none, or the number (or its end) said again
            continue
        tokens = ["four" if w.text == "for" else w.text for w in words[run.first : run.last]]  # as read
        said = next((k for k in range(len(tokens)) if expected in spoken_digits(tokens[:k])), len(tokens))
        start = words[run.first + min(said, len(tokens) - 1)].start_s
        return round(start, 2), round(run.end_s, 2)
    return None


def _likeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _pause_before(words: list[Word], run: NumberRun) -> float | None:
    if run.first == 0:
        return None
    return max(0.0, float(words[run.first].start_s - words[run.first - 1].end_s))


def _grouped(words: list[Word], run: NumberRun, groups: list[str], expected: str) -> bool | None:
    """Whether the trainee paused between the written groups (more than within them), judged on the
    first time the whole number was said in ``run``."""
    if len(groups) < 2:
        return None
    tokens = [w.text for w in words[run.first : run.last]]
    offset = run.digits.index(expected)
    ends = {offset + sum(len(g) for g in groups[: n + 1]) for n in range(len(groups) - 1)}
    between, within = [], []
    for k in range(1, len(tokens)):
        before = len(spoken_digits(tokens[:k]))
        if before <= offset or before >= offset + len(expected):
            continue
        gap = words[run.first + k].start_s - words[run.first + k - 1].end_s
        (between if before in ends else within).append(gap)
    if len(between) < len(ends):
        return None  # a group boundary fell inside one word ("ninety six"): cannot tell
    typical = sorted(within)[len(within) // 2] if within else 0.0
    return bool(min(between) >= max(GROUP_PAUSE_S, typical + GROUP_PAUSE_S / 2))


def written(words: list[Word], names: tuple[str, ...] = ()) -> str:
    """The words as a phone's transcription writes them: numbers in digits, "I", the ``names``
    known and the first word capitalised ("Hi Anne it's Sam … 01164960732")."""
    proper = {part.lower(): part for name in names for part in name.split() if part[:1].isupper()}
    runs = {run.first: run for run in number_runs(words) if len(run.digits) >= 3}
    out: list[str] = []
    index = 0
    while index < len(words):
        if index in runs:
            out.append(runs[index].digits)
            index = runs[index].last
            continue
        text = words[index].text
        out.append("I" + text[1:] if text == "i" or text.startswith("i'") else proper.get(text, text))
        index += 1
    joined = " ".join(out)
    return joined[:1].upper() + joined[1:]


def preview_of(transcript: Transcript | None, names: tuple[str, ...] = (), limit: int = PREVIEW_CHARS) -> str:
    """The message's first words as a phone's notification shows them: written as a phone writes
    them, cut at a word within ``limit`` characters, with an ellipsis when there is more."""
    if transcript is None or not transcript.words:
        return ""
    text = written(list(transcript.words), names)
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(",.;: ") + "…"


def phone_hint(words: list[Word], expected: str = "") -> Hint:
    """A number of 7 digits or more in the transcript, with its pace and whether it was said twice;
    against the brief's ``expected`` number: whether it is the same, grouped, and paused before."""
    runs = phone_runs(words)
    check = check_number(expected, words) if expected else None
    if check is not None and check.verdict is NumberVerdict.DIFFERS:
        return Hint(True, f"a number, but not quite yours ({check.heard})", check.caution)
    if not runs and (broken := broken_phone_runs(words)):
        caution = f"{quoted_at(words, broken[0].first, broken[0].last)} may be a number misheard: listen back"
        return Hint(None, "no phone number made out for sure", caution)
    if not runs:
        return Hint(False, "no phone number heard (7 or more digits)")
    first = runs[0]
    seconds = max(0.1, first.end_s - first.start_s)
    rate = len(first.digits) / seconds
    twice = (
        any(run.digits == first.digits for run in runs[1:])
        or first.digits[: len(first.digits) // 2] * 2 == first.digits
    )
    rushed = rate > 2.5
    pace = "fast: hard to write down" if rushed else "slowly enough to write down"
    return Hint(
        True,
        f"{first.digits} at {first.start_s:.1f} s, {rate:.1f} digits a second ({pace})"
        + (", said twice" if twice else ", said once")
        + (_how_said(check) if check is not None else ""),
        caution="rushed: say it in groups, slowly enough to write down" if rushed else "",
    )


def _how_said(check: NumberCheck) -> str:
    """ ", your number, in groups, after a pause": how the brief's number was said."""
    parts = ["your number"]
    if check.grouped is not None:
        parts.append("in groups" if check.grouped else "not in groups")
    if check.pause_before_s is not None:
        parts.append("after a pause" if check.pause_before_s >= PAUSE_BEFORE_S else "no pause before it")
    return ", " + ", ".join(parts)
