"""Find the line a key path was written on in a TOML document.

``tomllib`` returns plain dicts without positions, so error messages would otherwise only be able
to say *what* is wrong, not *where*. This scanner understands the parts of TOML people write by
hand in scenario files: ``[table]`` and ``[[array.of.tables]]`` headers, ``key = value`` lines with
dotted or quoted keys, and multi-line strings (whose contents it skips).
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)
_PART = re.compile(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""")


def _split_key(raw: str) -> list[str]:
    return [p.strip("\"'") for p in _PART.findall(raw)]


class KeyLocator:
    """Maps key paths such as ``rubric.criteria[2].weight`` to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self._lines: dict[str, int] = {}
        self._scan(text)

    def _scan(self, text: str) -> None:
        array_index: dict[str, int] = {}
        prefix = ""
        in_multiline: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if in_multiline:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            header = _HEADER.match(line)
            if header and not _KEY.match(line):
                is_array = header.group(1) == "[["
                parts = _split_key(header.group(2))
                path = self._resolve(parts, array_index)
                if is_array:
                    array_index[path] = array_index.get(path, -1) + 1
                    self._lines.setdefault(path, number)
                    path = f"{path}[{array_index[path]}]"
                self._lines.setdefault(path, number)
                prefix = path
                continue
            key = _KEY.match(line)
            if key:
                path = ".".join(filter(None, [prefix, *_split_key(key.group(1))]))
                self._lines.setdefault(path, number)
                rest = line[key.end() :]
                for quote in ('"""', "'''"):
                    if rest.count(quote) % 2 == 1:
                        in_multiline = quote
                        break

    def _resolve(self, parts: list[str], array_index: dict[str, int]) -> str:
        """Join header parts, indexing any enclosing array of tables at its current item."""
        path = ""
        for part in parts:
            path = f"{path}.{part}" if path else part
            if path in array_index:
                path = f"{path}[{array_index[path]}]"
        return path

    def line_of(self, key_path: str) -> int:
        """The line of ``key_path``, or of its nearest written ancestor; 1 if none is known."""
        path = key_path
        while path:
            if path in self._lines:
                return self._lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return 1
