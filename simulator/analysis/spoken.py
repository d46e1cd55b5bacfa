"""Whisper writes what it hears ("0116 496 0732", "2pm", "11th", "follow-up"); the hints read the
words as they were said ("zero one one six", "two pm", "eleventh", "follow up"). This turns one
written token into those words.

Digit strings of three or more (or with a leading zero) are read digit by digit, as phone numbers
and their groups are said; shorter numbers as cardinals ("20" -> "twenty"); clock times as they are
read ("10:30" -> "ten thirty", "2:00" -> "two").
"""

from __future__ import annotations

import re

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen"]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINAL_ENDINGS = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
                    "nine": "ninth", "twelve": "twelfth"}  # fmt: skip
_TOKEN = re.compile(r"\d+(?::\d\d)?(?:st|nd|rd|th|am|pm)?|[a-z]+(?:'[a-z]+)*")


def cardinal(number: int) -> list[str]:
    """0-99 in words ("twenty one"); larger numbers digit by digit."""
    if number < 20:
        return [_ONES[number]]
    if number < 100:
        tens, ones = divmod(number, 10)
        return [_TENS[tens]] + ([_ONES[ones]] if ones else [])
    return [_ONES[int(d)] for d in str(number)]


def ordinal(number: int) -> list[str]:
    """1st-99th in words ("twenty first")."""
    words = cardinal(number)
    last = words[-1]
    if last in _ORDINAL_ENDINGS:
        words[-1] = _ORDINAL_ENDINGS[last]
    elif last.endswith("y"):
        words[-1] = last[:-1] + "ieth"
    else:
        words[-1] = last + "th"
    return words


def _number(text: str) -> list[str]:
    if len(text) >= 3 or (len(text) > 1 and text.startswith("0")):
        return [_ONES[int(d)] for d in text]
    return cardinal(int(text))


def spoken_words(written: str) -> list[str]:
    """The words said for one written token, lower case, without punctuation."""
    text = written.lower().replace("a.m.", "am").replace("p.m.", "pm").replace("\u2019", "'")
    words: list[str] = []
    for token in _TOKEN.findall(text):
        if not token[0].isdigit():
            words.append(token)
            continue
        match = re.fullmatch(r"(\d+)(?::(\d\d))?(st|nd|rd|th|am|pm)?", token)
        assert match is not None
        digits, minutes, suffix = match.groups()
        if suffix in ("st", "nd", "rd", "th") and len(digits) <= 2:
            words += ordinal(int(digits))
            continue
        words += _number(digits) if minutes is None else cardinal(int(digits)) if len(digits) <= 2 else []
        if minutes is not None and minutes != "00":
            words += ["oh", _ONES[int(minutes[1])]] if minutes[0] == "0" else cardinal(int(minutes))
        if suffix in ("am", "pm"):
            words.append(suffix)
    return words
