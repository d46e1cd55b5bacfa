"""Find the line a key path was written on in a TOML document.

``tomllib`` returns plain dicts without positions, so error messages would otherwise only be able
to say *what* is wrong, not *where*. This scanner understands the TOML people write by hand in
scenario files: ``[table]`` and ``[[array.of.tables]]`` headers, ``key = value`` lines with dotted or
quoted keys, inline tables (also as items of a multi-line array) and multi-line strings.
"""

from __future__ import annotations

import re

_KEY_TEXT = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*"""
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(rf"^\s*({_KEY_TEXT})\s*=")
_INLINE_KEY = re.compile(rf"[{{,]\s*({_KEY_TEXT})\s*=")
_PART = re.compile(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""")


def _split_key(raw: str) -> list[str]:
    return [p.strip("\"'") for p in _PART.findall(raw)]


def _escaped(text: str, index: int) -> bool:
    """True when the character at ``index`` follows an odd run of backslashes."""
    run = 0
    while index - run - 1 >= 0 and text[index - run - 1] == "\\":
        run += 1
    return run % 2 == 1


def _scan_strings(text: str, quote: str | None = None) -> tuple[str, str | None]:
    """``text`` with string contents blanked and any comment cut, and the multi-line quote left open.

    ``quote`` says the line starts inside a multi-line string opened by that quote.
    """
    out: list[str] = []
    i = 0
    while i < len(text):
        if quote is not None:  # inside a multi-line string: find its closing quote
            close = text.find(quote, i)
            while close > 0 and quote == '"""' and _escaped(text, close):
                close = text.find(quote, close + 1)
            if close < 0:
                return "".join(out), quote
            i = close + 3
            quote = None
            out.append('""')
            continue
        char = text[i]
        if char == "#":
            break
        if text.startswith('"""', i) or text.startswith("'''", i):
            quote = text[i : i + 3]
            i += 3
            continue
        if char in "\"'":
            j = i + 1
            while j < len(text) and text[j] != char:
                j += 2 if char == '"' and text[j] == "\\" else 1
            out.append('""')
            i = j + 1
            continue
        out.append(char)
        i += 1
    return "".join(out), quote


class KeyLocator:
    """Maps key paths such as ``rubric.criteria[2].weight`` to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self._lines: dict[str, int] = {}
        self._scan(text)

    def _record(self, path: str, number: int) -> None:
        self._lines.setdefault(path, number)

    def _record_inline(self, path: str, segment: str, number: int) -> None:
        """Keys of an inline table ``{ a = 1, b = 2 }`` written on this line."""
        for match in _INLINE_KEY.finditer(segment):
            self._record(".".join([path, *_split_key(match.group(1))]), number)

    def _scan(self, text: str) -> None:
        array_index: dict[str, int] = {}
        prefix = ""
        open_quote: str | None = None  # a multi-line string continues onto the next line
        open_array: str | None = None  # key of a multi-line array whose items we are reading
        depth = 0
        item = -1
        for number, raw in enumerate(text.splitlines(), start=1):
            starts_in_string = open_quote is not None
            bare, open_quote = _scan_strings(raw, open_quote)
            if open_array is not None:
                if depth == 1 and bare.lstrip().startswith("{"):
                    item += 1
                    self._record(f"{open_array}[{item}]", number)
                    self._record_inline(f"{open_array}[{item}]", bare, number)
                depth += bare.count("[") + bare.count("{") - bare.count("]") - bare.count("}")
                if depth <= 0:
                    open_array = None
                continue
            if starts_in_string:
                continue
            header = _HEADER.match(bare)
            if header and not _KEY.match(bare):
                parts = _split_key(header.group(2))
                path = self._resolve(parts, array_index)
                if header.group(1) == "[[":
                    array_index[path] = array_index.get(path, -1) + 1
                    self._record(path, number)
                    path = f"{path}[{array_index[path]}]"
                self._record(path, number)
                prefix = path
                continue
            key = _KEY.match(raw)
            if not key:
                continue
            path = ".".join(filter(None, [prefix, *_split_key(key.group(1))]))
            self._record(path, number)
            rest, _ = _scan_strings(raw[key.end() :])
            if rest.lstrip().startswith("{"):
                self._record_inline(path, rest, number)
            balance = rest.count("[") + rest.count("{") - rest.count("]") - rest.count("}")
            if balance > 0:
                open_array, depth, item = path, balance, -1
            elif rest.lstrip().startswith("[") and "{" in rest:
                for index, segment in enumerate(rest.split("{")[1:]):
                    self._record(f"{path}[{index}]", number)
                    self._record_inline(f"{path}[{index}]", "{" + segment, number)

    def _resolve(self, parts: list[str], array_index: dict[str, int]) -> str:
        """Join header parts, indexing any enclosing array of tables at its current item."""
        path = ""
        for position, part in enumerate(parts):
            path = f"{path}.{part}" if path else part
            if path in array_index and position < len(parts) - 1:
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


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def toml_error_position(error: Exception, text: str) -> tuple[int, str]:
    """The line a ``tomllib.TOMLDecodeError`` points at (the last line for "end of document"),
    and its message without the position."""
    message = str(error)
    found = _TOML_POSITION.search(message)
    if found is None:
        return 1, message
    line = int(found.group(1)) if found.group(1) else max(1, len(text.splitlines()))
    return line, _TOML_POSITION.sub("", message).strip()
