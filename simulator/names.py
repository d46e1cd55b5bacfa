"""Names and short texts from files people write: one spelling for comparing, and safe for a terminal.

Two names that look the same on screen should be the same trainee, so comparison uses one Unicode
form (NFC) with invisible format characters removed. Anything from a file that reaches a terminal
goes through :func:`terminal_safe`, so an escape sequence in a name cannot clear or garble the
screen.
"""

from __future__ import annotations

import unicodedata

# Characters that reorder the text around them (the "Trojan source" set); never wanted in a name.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Joiners that some scripts (Persian, Indic) and emoji need inside a word.
JOINERS = frozenset("\u200c\u200d")
_VISIBLE_CATEGORIES = frozenset("LNPS")  # letters, numbers, punctuation, symbols


def normalise_name(text: str) -> str:
    """``text`` as one spelling: NFC, without format characters (zero-width, bidi), single spaces."""
    composed = unicodedata.normalize("NFC", text)
    visible = "".join(c for c in composed if unicodedata.category(c) != "Cf")
    return " ".join(visible.split())


def safe_name(text: str) -> str:
    """A name as it is kept and shown: one spelling (:func:`normalise_name`), and nothing in it
    that could reach a terminal raw (:func:`terminal_safe`)."""
    return terminal_safe(normalise_name(text))


def is_control(char: str) -> bool:
    """C0 and C1 controls, DEL, bidi overrides and line or paragraph separators."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in BIDI_CONTROLS


def control_characters(text: str, allowed: str = "") -> list[str]:
    """The distinct control characters in ``text`` (other than ``allowed``), in order of appearance."""
    found: dict[str, None] = {}
    for char in text:
        if char not in allowed and is_control(char):
            found.setdefault(char)
    return list(found)


def has_visible(text: str) -> bool:
    """True when ``text`` has at least one letter, digit, punctuation mark or symbol."""
    return any(unicodedata.category(c)[0] in _VISIBLE_CATEGORIES for c in text)


def escaped(char: str) -> str:
    """A visible stand-in for an invisible character: ``\\x1b``, ``\\u202e``."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def describe(chars: list[str]) -> str:
    """``['\\x1b', '\\x00']`` as ``\\x1b, \\x00`` for a message."""
    return ", ".join(escaped(c) for c in chars)


def terminal_safe(text: str, keep: str = "") -> str:
    """``text`` with every control character (but those in ``keep``, say a newline) shown as an
    escape, so printing it cannot move the cursor, change colours or reorder what follows."""
    if text.isprintable():  # the common case, and printable text has no control characters
        return text
    return "".join(escaped(c) if is_control(c) and c not in keep else c for c in text)


def clip(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when it was longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cell_width(char: str) -> int:
    """How many terminal cells ``char`` takes: two for wide ones (CJK, most emoji), none for
    combining marks and joiners, else one."""
    if unicodedata.combining(char) or char in "\u200d\ufe0f":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def fit_cells(text: str, width: int) -> str:
    """``text`` cut or padded to ``width`` terminal cells, cut with "…", so a table's columns line
    up whatever a name holds (walked: a name with an emoji pushed its row one column right)."""
    used = sum(map(cell_width, text))
    if used <= width:
        return text + " " * (width - used)
    kept, used = [], 0
    for char in text:
        if used + cell_width(char) > width - 1:
            break
        kept.append(char)
        used += cell_width(char)
    return "".join(kept) + "…" + " " * (width - 1 - used)
