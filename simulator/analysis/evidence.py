"""How a hint quotes what was heard: the words, in quotes, and when they were said."""

from __future__ import annotations

from collections.abc import Callable

from simulator.analysis.record import Hint, Word
from simulator.analysis.words import find_each, find_phrase

# Whether the phrase found at (start, end) says something else there ("I'll call back" is no ask)
SaysOtherwise = Callable[[list[Word], int, int], bool]


def quoted(words: list[Word], start: int, end: int) -> str:
    """The words ``start:end`` in quotes (“call me on”)."""
    return f"\u201c{' '.join(w.text for w in words[start:end])}\u201d"


def quoted_at(words: list[Word], start: int, end: int) -> str:
    """The words ``start:end`` in quotes, with when the first was said (“call me on” at 9.8 s)."""
    return f"{quoted(words, start, end)} at {words[start].start_s:.1f} s"


def evidence_of(words: list[Word], phrase: str) -> str | None:
    """Evidence that ``phrase`` was said: the words heard, and when; None if it was not heard."""
    found = find_phrase(words, phrase)
    return quoted_at(words, *found) if found else None


def phrase_hint(
    words: list[Word], phrases: list[str], what: str, absent: str, unless: SaysOtherwise | None = None
) -> Hint:
    """✓ with the first of ``phrases`` heard as evidence (where ``unless`` does not say it means
    something else there), else ✗ saying ``absent``."""
    for phrase in phrases:
        for start, end in find_each(words, phrase):
            if unless is None or not unless(words, start, end):
                return Hint(True, f"{what}: {quoted_at(words, start, end)}")
    return Hint(False, absent)
