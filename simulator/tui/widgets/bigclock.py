"""A clock drawn in a 5-row block font, legible from the back of a training room."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

_GLYPHS = {
    "0": ["█████", "█   █", "█   █", "█   █", "█████"],
    "1": ["  █  ", " ██  ", "  █  ", "  █  ", " ███ "],
    "2": ["█████", "    █", "█████", "█    ", "█████"],
    "3": ["█████", "    █", " ████", "    █", "█████"],
    "4": ["█   █", "█   █", "█████", "    █", "    █"],
    "5": ["█████", "█    ", "█████", "    █", "█████"],
    "6": ["█████", "█    ", "█████", "█   █", "█████"],
    "7": ["█████", "    █", "   █ ", "  █  ", "  █  "],
    "8": ["█████", "█   █", "█████", "█   █", "█████"],
    "9": ["█████", "█   █", "█████", "    █", "█████"],
    ":": ["  ", "██", "  ", "██", "  "],
    ".": ["  ", "  ", "  ", "  ", "██"],
    " ": ["  ", "  ", "  ", "  ", "  "],
}


def block_lines(text: str, scale: int = 1) -> list[str]:
    """``text`` in the block font, each glyph column repeated ``scale`` times."""
    rows = []
    for row in range(5):
        pieces = ["".join(ch * scale for ch in _GLYPHS.get(c, _GLYPHS[" "])[row]) for c in text]
        rows.append(" ".join(pieces))
    return rows


class BigClock(Widget):
    """Shows ``value`` (digits, ':' and '.') as large as the width allows, twice as wide if it fits."""

    DEFAULT_CSS = "BigClock { height: 5; width: 1fr; }"
    value: reactive[str] = reactive("0:00.0")

    def update(self, value: str) -> None:
        self.value = value

    def render(self) -> Text:
        wide = block_lines(self.value, 2)
        lines = wide if len(wide[0]) <= self.size.width else block_lines(self.value)
        return Text("\n".join(lines))
