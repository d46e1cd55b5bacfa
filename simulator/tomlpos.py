"""Find the line a key path was written on in a TOML document.

``tomllib`` returns plain dicts without positions, so error messages would otherwise only be able
to say *what* is wrong, not *where*. This scanner understands the TOML people write by hand in
scenario files: ``[table]`` and ``[[array.of.tables]]`` headers, ``key = value`` lines with dotted or
quoted keys, inline tables (also as items of a multi-line array) and multi-line strings.

Reading such a file goes through :func:`read_capped` and :func:`load_toml`, so that whatever it
holds, the only error is a :class:`SourceError` with a line to point at.
"""

from __future__ import annotations

import re
import stat
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

_KEY_TEXT = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*"""
_KEY = re.compile(rf"^\s*({_KEY_TEXT})\s*=")
_INLINE_KEY = re.compile(rf"[{{,]\s*({_KEY_TEXT})\s*=")
_QUOTE_OR_COMMENT = re.compile(r"[\"'#]")
_PART = re.compile(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""")


def _header(bare: str) -> tuple[str, str] | None:
    """``("[[", "a.b")`` for an ``[[a.b]]`` line (strings blanked, comment cut), ``("[", ...)`` for
    ``[a.b]``; None for anything else. Plain string tests: a pattern here backtracked for minutes
    on a long unclosed header."""
    line = bare.strip()
    if not (line.startswith("[") and line.endswith("]")):
        return None
    double = line.startswith("[[") and line.endswith("]]") and len(line) >= 4
    inner = line[2:-2] if double else line[1:-1]
    if not inner.strip() or "[" in inner or "]" in inner:
        return None
    return ("[[" if double else "["), inner.strip()


def lines_of(text: str) -> list[str]:
    """The lines TOML counts: split at ``\n`` only (``str.splitlines`` also splits at form feeds
    and line separators, which TOML allows inside strings and comments)."""
    return [line.removesuffix("\r") for line in text.split("\n")]


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
    if quote is None and _QUOTE_OR_COMMENT.search(text) is None:
        return text, None
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


_LONGEST_ANCESTOR = 1000


class _OpenValue:
    """An array or inline table being read, possibly over several lines; records each array item's
    line (items of one array only, not of arrays nested in it)."""

    def __init__(self, path: str, items: bool) -> None:
        self.path = path
        self.items = items
        self.depth = 0
        self.item = -1
        self.expecting = False  # at depth 1, the next value starts an item

    def read(self, bare: str, number: int, record: Callable[[str, int], None]) -> bool:
        """Read one line (strings blanked); False once the value is closed."""
        for char in bare:
            if char in " \t":
                continue
            if self.items and self.depth == 1 and self.expecting and char not in ",]":
                self.item += 1
                self.expecting = False
                record(f"{self.path}[{self.item}]", number)
            if char in "[{":
                self.depth += 1
                self.expecting = self.depth == 1
            elif char in "]}":
                self.depth -= 1
                if self.depth <= 0:
                    return False
            elif char == "," and self.depth == 1:
                self.expecting = True
        return True


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
        value: _OpenValue | None = None  # a multi-line array (or inline table) being read
        for number, raw in enumerate(lines_of(text), start=1):
            starts_in_string = open_quote is not None
            bare, open_quote = _scan_strings(raw, open_quote)
            if value is not None:
                if not value.read(bare, number, self._record):
                    value = None
                continue
            if starts_in_string:
                continue
            header = _header(bare)
            if header and not _KEY.match(bare):
                parts = _split_key(header[1])
                path = self._resolve(parts, array_index)
                if header[0] == "[[":
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
            if rest.lstrip()[:1] in ("[", "{"):
                value = _OpenValue(path, items=rest.lstrip().startswith("["))
                if not value.read(rest, number, self._record):
                    value = None

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
        if key_path in self._lines:
            return self._lines[key_path]
        # ancestors of a very long path (a huge quoted key full of dots) are not looked up one by
        # one, which would take time in the square of its length
        path = key_path[:_LONGEST_ANCESTOR]
        cut = len(key_path)
        while path:
            cut = max(path.rfind(".", 0, cut), path.rfind("[", 0, cut))
            if cut <= 0:
                break
            if path[:cut] in self._lines:
                return self._lines[path[:cut]]
        return 1


class SourceError(Exception):
    """Why a hand-written file cannot be read, and the line to look at."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def read_capped(path: Path, limit: int, what: str, encoding: str = "utf-8") -> str:
    """The text of ``path``, refusing anything but a regular file of at most ``limit`` bytes and
    text that is not ``encoding``. Newlines are translated as ``Path.read_text`` does."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(1, f"cannot read {what}: it is not a file")
        if info.st_size > limit:
            raise SourceError(1, _too_big(info.st_size, limit, what))
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise SourceError(1, f"cannot read {what}: {error.strerror or error}") from None
    if len(data) > limit:
        raise SourceError(1, _too_big(len(data), limit, what))
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = bytes(error.object).count(b"\n", 0, error.start) + 1
        raise SourceError(
            line, f"not UTF-8 text (byte 0x{error.object[error.start]:02x}); save {what} as UTF-8"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _too_big(size: int, limit: int, what: str) -> str:
    return f"{what} is {size:,} bytes; it may be at most {limit / 1e6:g} MB"


MAX_NESTING = 32


def load_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads``, with every failure (also the recursion and integer-size limits it runs
    into) a :class:`SourceError` naming a line."""
    deep = deepest_nesting(text, MAX_NESTING)
    if deep is not None:
        raise SourceError(deep, f"arrays or inline tables nested more than {MAX_NESTING} deep")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, message = toml_error_position(error, text)
        raise SourceError(line, f"TOML syntax error: {message}") from None
    except RecursionError:  # nesting the scan above did not see
        line = deepest_nesting(text, 8) or 1
        raise SourceError(line, "arrays or inline tables nested too deeply") from None
    except ValueError as error:  # a decimal integer longer than Python converts
        digits = "digits" in str(error)
        message = "a number with more than 4300 digits" if digits else f"cannot read the TOML: {error}"
        raise SourceError(long_number_line(text) if digits else 1, message) from None


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def toml_error_position(error: Exception, text: str) -> tuple[int, str]:
    """The line a ``tomllib.TOMLDecodeError`` points at (the last line for "end of document"),
    and its message without the position."""
    message = str(error)
    found = _TOML_POSITION.search(message)
    if found is None:
        return 1, message
    line = int(found.group(1)) if found.group(1) else max(1, len(text.rstrip("\n").split("\n")))
    return line, _TOML_POSITION.sub("", message).strip()


def deepest_nesting(text: str, limit: int) -> int | None:
    """The first line where arrays and inline tables nest more than ``limit`` deep, or None.

    tomllib reads nested values recursively, so a deep enough file raises ``RecursionError``;
    finding it here first lets the loader name the line instead."""
    depth = 0
    open_quote: str | None = None
    for number, raw in enumerate(lines_of(text), start=1):
        bare, open_quote = _scan_strings(raw, open_quote)
        if depth == 0 and _header(bare):
            continue
        for char in bare:
            if char in "[{":
                depth += 1
                if depth > limit:
                    return number
            elif char in "]}":
                depth = max(0, depth - 1)
    return None


_DIGITS = re.compile(r"[0-9_]+")


def long_number_line(text: str, digits: int = 4300) -> int:
    """The line of the first run of more than ``digits`` digits (Python's limit for converting
    decimal text to an integer), or 1."""
    found = next((m for m in _DIGITS.finditer(text) if len(m.group()) > digits), None)
    return text.count("\n", 0, found.start()) + 1 if found else 1
