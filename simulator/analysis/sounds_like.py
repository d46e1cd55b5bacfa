"""Where the recogniser may have misheard the prospect's name (issue #16).

Whisper tiny.en hears "Anne, this is Sam" as "and this is sam" on some voices and CPUs, and
"Hello Anne" as "hello i'm": a name it has in its prompt, lost to a common word that sounds like
it. A voicemail puts the name in a known place (seed 000's three-part intro): after the greeting,
before the caller says who they are. A word heard in that place that sounds like the name is not
evidence that the name was left out, so the name checks say "listen back" there instead of ✗.

"Sounds like" compares Metaphone keys (jellyfish, a maintained Rust implementation of the
phonetic codes built for English names), with any first vowel taken as one sound, the nasals
M and N as one ("i'm" for "Anne"), and "th" and "f" as one ("first" for "Thursday": the days
misheard after a follow-up are compared the same way). How far apart the keys may be depends on
how long the name's key is: a short key ("AN") matches almost any short word a letter away ("a",
"all", "ok", "is"), so a heard word must hold it whole ("and", "an", "i'm"); a longer one ("MRKS")
may be a letter off.
"""

from __future__ import annotations

import re
from itertools import pairwise

import jellyfish

from simulator.analysis.record import Word
from simulator.analysis.transcribe import spelled
from simulator.analysis.words import filler_sounds, phrase_lists

# The name's place holds at most two heard words after a greeting heard: a name split in two ("high
# end" for "Anne"); three where no greeting was heard, as it may be in the place ("my mark is" for
# "Hi Marcus"). More would take in what follows a name left out ("Hey, a quick one, it's Sam").
MAX_PLACE_WORDS = 3
# Said before a name, these are not the name's first word ("Dr Anne Fletcher").
TITLES = frozenset({"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "sir", "dame"})
# "I'm" straight before the caller's own name is them saying who they are ("Hi, I'm Sam Patel"),
# not the prospect's name misheard; but not before "<name> here" ("Hello Anne, Sam Patel here").
SELF_INTRODUCTIONS = ("i'm", "i am")
# The nasals blur: "i'm" (AM) for "Anne" (AN); so do "th" and "f", the two weakest hisses, most of
# all in an echoey room or on a thin microphone: "first" (FRST) for "Thursday" (0RST).
_ALIKE = str.maketrans("M0", "NF")


def phonetic_key(word: str) -> str:
    """The word's Metaphone key, with a first vowel written "A" (vowels at the start blur)."""
    key = jellyfish.metaphone("".join(c for c in word if c.isalpha()))
    return "A" + key[1:] if key[:1] in ("A", "E", "I", "O", "U") else key


def _holds(ours: str, theirs: str) -> bool:
    """Whether key ``ours`` holds the name's key ``theirs`` whole, with at most one sound after."""
    return ours.startswith(theirs) and len(ours) <= len(theirs) + 1


def _near(ours: str, theirs: str) -> bool:
    """Whether key ``ours`` is close enough to the name's key ``theirs`` (both non-empty, same first
    letter): holding it whole; for a key of three letters, one sound changed or the last one lost
    ("danny" for "Daniel"); for four or more, any one letter apart."""
    if _holds(ours, theirs):
        return True
    if len(theirs) < 3:
        return False
    if len(theirs) >= 4:
        return jellyfish.levenshtein_distance(ours, theirs) <= 1
    changed = len(ours) == len(theirs) and sum(a != b for a, b in zip(ours, theirs, strict=True)) == 1
    return changed or ours == theirs[:-1]


def _alike_key(word: str) -> str:
    """The word's :func:`phonetic_key`, with sounds easily heard for one another written alike."""
    return phonetic_key(word).translate(_ALIKE)


def sounds_like(heard: str, name: str, *, whole: bool = False) -> bool:
    """Whether ``heard`` could be ``name`` misheard: the same first sound and keys near each other
    (:func:`_near`); with ``whole``, for two heard words joined, the name's key held whole."""
    ours, theirs = _alike_key(heard), _alike_key(name)
    if not ours or not theirs or ours[0] != theirs[0]:
        return False
    return _holds(ours, theirs) if whole else _near(ours, theirs)


def first_name(name: str) -> str:
    """The name's first word after any title ("Dr Anne-Marie Fletcher" -> "Anne"); "" if none."""
    words = [w for w in re.findall(r"[A-Za-z']+", name) if w.lower() not in TITLES]
    return words[0] if words else ""


def _starts_with(texts: list[str], at: int, phrases: list[str] | tuple[str, ...]) -> int:
    """How many words of the longest of ``phrases`` begin at ``at`` (0: none)."""
    found = 0
    for phrase in phrases:
        words = phrase.split()
        if texts[at : at + len(words)] == words:
            found = max(found, len(words))
    return found


def _introduces(texts: list[str], at: int, introductions: list[str], caller: list[str]) -> bool:
    """Whether the caller starts saying who they are at ``at``: "this is", "it's", their own name,
    or "I'm" straight before their name (not before "<name> here", which introduces them itself)."""
    if _starts_with(texts, at, introductions) or (caller and texts[at] == caller[0]):
        return True
    said = _starts_with(texts, at, SELF_INTRODUCTIONS)
    if not said or not caller or texts[at + said : at + said + 1] != caller[:1]:
        return False
    named = at + said + max(_starts_with(texts, at + said, [" ".join(caller)]), 1)
    return texts[named : named + 1] != ["here"]


def _before_greetings(texts: list[str], start: int, end: int, greetings: list[str]) -> int:
    """``end`` moved back past greetings said after the name ("Hi Anne, good morning, this is")."""
    while end > start:
        said = [g for g in greetings if texts[start:end][-len(g.split()) :] == g.split()]
        if not said:
            return end
        end = max(start, end - max(len(g.split()) for g in said))
    return end


def names_place(opening: list[Word], name: str, caller: str = "") -> list[Word]:
    """The words heard where the prospect's ``name`` goes: after any greeting, before "this is",
    "it's" or the caller's name, when few enough stand there (:data:`MAX_PLACE_WORDS`, one fewer
    after a greeting unless the recogniser doubted one of them: "Daniel" heard "man? y? all"); else
    none."""
    lists = phrase_lists()
    texts = [w.text for w in opening]
    if not texts or not first_name(name):
        return []
    start = _starts_with(texts, 0, lists["greetings"])
    own = [w for w in spelled(caller).split() if w not in TITLES]
    longest = MAX_PLACE_WORDS - (1 if start else 0)
    for end in range(start, min(start + longest + 2, len(texts) - 1) + 1):  # 2: "good morning" after it
        if _introduces(texts, end, lists["introductions"], own):
            place_end = _before_greetings(texts, start, end, lists["greetings"])
            doubted = any(w.unclear for w in opening[start:place_end])  # "hi man? y? all, jo here"
            return opening[start:place_end] if place_end - start <= longest + (start > 0 and doubted) else []
    return []


def greeted(opening: list[Word]) -> bool:
    """Whether the opening starts with a greeting ("hi", "good morning")."""
    return bool(_starts_with([w.text for w in opening], 0, phrase_lists()["greetings"]))


def sound_like_the_name(place: list[Word], name: str) -> bool:
    """Whether one of the words, or two side by side, sound like the prospect's first name; or, for
    a name that starts with a vowel, one is the name with a consonant before it ("man" for "Anne":
    after a greeting that ends in a vowel, Whisper heard one between them, in held-out voices)."""
    texts, prospect = [w.text for w in place], first_name(name).lower()
    return (
        any(sounds_like(w, prospect) for w in texts)
        or any(sounds_like(a + b, prospect, whole=True) for a, b in pairwise(texts))
        or any(_consonant_before(w, prospect) for w in texts)
    )


def _consonant_before(heard: str, name: str) -> bool:
    """Whether ``heard`` is the vowel-initial ``name`` with a consonant in front ("man", "dan" for
    "Anne")."""
    ours, theirs = _alike_key(heard), _alike_key(name)
    return (
        len(theirs) > 1 and theirs[0] == "A" and len(ours) > 1 and ours[0] != "A" and ours[1:] == theirs[1:]
    )


def in_names_place(opening: list[Word], name: str, caller: str = "") -> list[Word]:
    """The words in the name's place (:func:`names_place`) when they sound like the prospect's
    first name (:func:`sound_like_the_name`); else none."""
    place = names_place(opening, name, caller)
    return place if sound_like_the_name(place, name) else []


CALLERS_PLACE_WORDS = 2  # a name may be heard split ("sam patel" as "some pa tell")
CALLERS_PLACE_LATEST = 4  # "Good morning Anne, Sam here": the caller's name is among the first four words


def in_callers_place(opening: list[Word], company: str = "") -> list[Word]:
    """The words heard where the caller's own name goes (straight after "this is", "it's" or "I'm")
    when the recogniser was unsure of the first of them, or wrote a filler sound there, sure or not
    ("this is um you" for "this is Sam, you": with the fillers in its prompt, Whisper writes "um"
    for a short sound it cannot place), or when one or two words stand between it and "from" the
    ``company`` heard ("it's so much from fleetwise" for "it's Jo Marsh from Fleetwise", sure of
    every word); else none."""
    texts = [w.text for w in opening]
    lists = phrase_lists()
    introductions = [*lists["introductions"], *SELF_INTRODUCTIONS]
    sounds = lists["filler_sounds"]
    firm = {w for w in spelled(company).split() if len(w) > 2}
    for at in range(len(texts)):
        said = _starts_with(texts, at, introductions)
        if not said or at + said >= len(opening):
            continue
        place = at + said
        if opening[place].unclear or texts[place] in sounds:
            return opening[place : place + CALLERS_PLACE_WORDS]
        for end in range(place + 1, min(place + CALLERS_PLACE_WORDS, len(texts) - 2) + 1):
            named_by = texts[end] in lists["before_a_company"] and texts[end + 1] in firm
            if named_by and not any(t in lists["not_a_callers_name"] for t in texts[place:end]):
                return opening[place:end]
    return []


def before_here(opening: list[Word], caller: str) -> list[Word]:
    """The word straight before "here" in the opening ("Jo here", "Sam Patel here"), fillers aside,
    when it sounds like the caller's first name ("jov here" for "Jo here"), or a word that is the
    name and "here" run together ("jovir" for "Jo here", in a voice the rules were not written
    against); else none."""
    sounds = filler_sounds()
    said = [w for w in opening if w.text not in sounds]
    first = first_name(caller).lower()
    if before := next(
        (w for w, then in pairwise(said) if then.text == "here" and sounds_like(w.text, first)), None
    ):
        return [before]
    return next(([w] for w in said[:CALLERS_PLACE_LATEST] if _name_and_here(w.text, first)), [])


def _name_and_here(heard: str, name: str) -> bool:
    """Whether ``heard`` is ``name`` with "here" run on: the name's key, then at most one sound and
    the R of "here" (JFR "jovir" for "Jo here", SMR "samir" for "Sam here")."""
    ours, theirs = _alike_key(heard), _alike_key(name)
    rest = ours[len(theirs) :]
    return bool(theirs) and ours.startswith(theirs) and rest.endswith("R") and len(rest) <= 2


NEAR_PHRASE_KEY = 6  # a phrase with a shorter key is told apart only when heard whole ("checking in")


def heard_like(words: list[Word], phrase: str) -> tuple[int, int] | None:
    """Where a stretch of heard words sounds like ``phrase`` without being it: their keys, run
    together, one sound from the phrase's ("touching the bass" for "touching base", "following upon"
    for "following up on", in voices the rules were not written against); else None."""
    target = _alike_key(phrase.replace(" ", ""))
    size = len(phrase.split())
    if len(target) < NEAR_PHRASE_KEY:
        return None
    for start in range(len(words)):
        for end in range(start + max(1, size - 1), min(start + size + 1, len(words)) + 1):
            key = _alike_key("".join(w.text for w in words[start:end]))
            if key[:1] == target[:1] and jellyfish.levenshtein_distance(key, target) <= 1:
                return start, end
    return None
