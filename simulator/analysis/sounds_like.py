"""Where the recogniser may have misheard the prospect's name (issue #16).

Whisper tiny.en hears "Anne, this is Sam" as "and this is sam" on some voices and CPUs, and
"Hello Anne" as "hello i'm": a name it has in its prompt, lost to a common word that sounds like
it. A voicemail puts the name in a known place (seed 000's three-part intro): after the greeting,
before the caller says who they are. A word heard in that place that sounds like the name is not
evidence that the name was left out, so the name checks say "listen back" there instead of ✗.

"Sounds like" compares Metaphone keys (jellyfish, a maintained Rust implementation of the
phonetic codes built for English names), with any first vowel taken as one sound: "and" (ANT)
and "i'm" (AM) are one letter from "Anne" (AN); "there" (0R) and "me" (M) are not.
"""

from __future__ import annotations

import re
from itertools import pairwise

import jellyfish

from simulator.analysis.record import Word
from simulator.analysis.words import phrase_lists

# The name's place holds at most three heard words: a name split in two ("high end" for "Hi Anne"),
# after a greeting misheard ("my mark is" for "Hi Marcus").
MAX_PLACE_WORDS = 3


def phonetic_key(word: str) -> str:
    """The word's Metaphone key, with a first vowel written "A" (vowels at the start blur)."""
    key = jellyfish.metaphone("".join(c for c in word if c.isalpha()))
    return "A" + key[1:] if key[:1] in ("A", "E", "I", "O", "U") else key


def sounds_like(heard: str, name: str) -> bool:
    """Whether ``heard`` could be ``name`` misheard: the same first sound, and keys at most one
    letter apart (one in three for longer names)."""
    ours, theirs = phonetic_key(heard), phonetic_key(name)
    if not ours or not theirs or ours[0] != theirs[0]:
        return False
    return jellyfish.levenshtein_distance(ours, theirs) <= max(1, len(theirs) // 3)


def _starts_with(texts: list[str], at: int, phrases: list[str]) -> int:
    """How many words of the longest of ``phrases`` begin at ``at`` (0: none)."""
    found = 0
    for phrase in phrases:
        words = phrase.split()
        if texts[at : at + len(words)] == words:
            found = max(found, len(words))
    return found


def in_names_place(opening: list[Word], name: str, caller: str = "") -> list[Word]:
    """The words heard where the prospect's ``name`` goes (after any greeting, before "this is",
    "it's" or the caller's name), when one of them, or two side by side, sounds like its first word;
    else none."""
    lists = phrase_lists()
    texts = [w.text for w in opening]
    names = name.lower().split()
    if not texts or not names:
        return []
    start = _starts_with(texts, 0, lists["greetings"])
    caller_first = re.findall(r"[a-z']+", caller.lower())[:1]
    introductions = lists["introductions"] + caller_first
    for end in range(start, min(start + MAX_PLACE_WORDS, len(texts) - 1) + 1):
        if _starts_with(texts, end, introductions):
            if end == start:  # they said who they are straight after the greeting: no name's place
                return []
            place = texts[start:end]
            heard = place + ["".join(pair) for pair in pairwise(place)]
            return opening[start:end] if any(sounds_like(w, names[0]) for w in heard) else []
    return []
