"""Pronunciations for words the recogniser's dictionary lacks (names, companies), from espeak-ng.

espeak-ng spells any word in its phoneme mnemonics (``-x``); those map closely onto the ARPAbet
phones of the CMU dictionary that pocketsphinx uses (checked against dictionary words such as
"weinberg", "peggy", "penrose", "meridian").
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache

_MNEMONIC_TO_ARPABET = sorted(
    {
        "aI@3": "AY ER", "aI@": "AY ER", "aU@": "AW ER", "i@3": "IH R", "e@": "EH R", "A@": "AA R",
        "O@": "AO R", "U@": "UH R", "o@": "AO R", "i@": "IY AH", "aI": "AY", "aU": "AW", "eI": "EY",
        "oU": "OW", "OI": "OY", "tS": "CH", "dZ": "JH", "3:": "ER", "A:": "AA", "i:": "IY", "u:": "UW",
        "O:": "AO", "@L": "AH L", "0": "AA", "3": "ER", "@": "AH", "a": "AE", "A": "AA", "E": "EH",
        "I": "IH", "i": "IY", "O": "AO", "U": "UH", "V": "AH", "u": "UW", "e": "EH", "o": "OW",
        "T": "TH", "D": "DH", "S": "SH", "Z": "ZH", "N": "NG", "j": "Y", "w": "W", "h": "HH", "r": "R",
        "l": "L", "m": "M", "n": "N", "p": "P", "b": "B", "t": "T", "d": "D", "k": "K", "g": "G",
        "f": "F", "v": "V", "s": "S", "z": "Z", "*": "T",
    }.items(),
    key=lambda pair: -len(pair[0]),
)  # fmt: skip
_MARKS = re.compile(r"[',%=_!#2-]")


def mnemonics_to_arpabet(mnemonics: str) -> str:
    text = _MARKS.sub("", mnemonics.strip())
    phones: list[str] = []
    position = 0
    while position < len(text):
        for mnemonic, arpabet in _MNEMONIC_TO_ARPABET:
            if text.startswith(mnemonic, position):
                phones += arpabet.split()
                position += len(mnemonic)
                break
        else:
            position += 1  # a stress or length mark espeak-ng adds; it has no phone
    return " ".join(phones)


@cache
def pronounce(word: str) -> str | None:
    """ARPAbet phones for ``word`` (US English), or None without espeak-ng."""
    if shutil.which("espeak-ng") is None:
        return None
    result = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", "en-us", word],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    phones = mnemonics_to_arpabet(result.stdout)
    return phones or None


def likeness(target: list[str], heard: list[str]) -> float:
    """How much ``heard`` contains the phones of ``target``: 1 minus the fewest edits that turn
    ``target`` into some stretch of ``heard``, as a share of its length (1.0: all there)."""
    if not target:
        return 0.0
    previous = [0] * (len(heard) + 1)  # a match may start anywhere in heard
    for i, phone in enumerate(target, 1):
        current = [i] + [0] * len(heard)
        for j, other in enumerate(heard, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (phone != other))
        previous = current
    return 1.0 - min(previous) / len(target)
