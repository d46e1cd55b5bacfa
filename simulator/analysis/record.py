"""What the machine heard in a take, as a typed record: measurements, words, pace and hints.

Plain values only (no audio, no recogniser), so the store, the record index and the reports read
it cheaply. :func:`simulator.analysis.take.assemble` builds it in one place; :meth:`to_dict` and
:meth:`from_dict` are its one saved form: the attempt record's ``[analysis]`` table and
``voicemail-sim analyze --json``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Room:
    """The room around the trainee's voice: neighbours, fans, hum."""

    background_dbfs: float | None  # None: too little of the take without the trainee to tell
    too_loud: bool  # so close to the trainee's level that the timings may be off

    @classmethod
    def from_dict(cls, data: object) -> Room:
        if not isinstance(data, Mapping):
            raise ValueError("analysis.room must be a table")
        level, loud = data.get("background_dbfs"), data.get("too_loud")
        if level is not None and (
            isinstance(level, bool) or not isinstance(level, int | float) or not math.isfinite(level)
        ):
            raise ValueError("analysis.room.background_dbfs must be a finite number")
        if not isinstance(loud, bool):
            raise ValueError("analysis.room.too_loud must be true or false")
        return cls(None if level is None else float(level), loud)


@dataclass(frozen=True)
class Measurements:
    duration_s: float
    lead_silence_s: float
    trail_silence_s: float
    speech_s: float
    pauses: int  # pauses longer than measure.LONG_PAUSE_S between the first and last speech
    longest_pause_s: float
    rms_dbfs: float  # loudness of the speech frames
    peak_dbfs: float
    too_quiet: bool
    clipping: bool
    has_speech: bool
    pitch_variation_st: float | None = None  # None: too little voiced speech to tell
    monotone: bool | None = None
    room: Room | None = None  # None: measured before rooms were (an older record)
    # (start, end) in seconds where the trainee speaks (not the room); None in an older record
    speech_spans: tuple[tuple[float, float], ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.speech_spans is not None:
            data["speech_spans"] = [{"start_s": start, "end_s": end} for start, end in self.speech_spans]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Measurements:
        """Raises ValueError, naming the key, when a value is missing or of the wrong kind."""
        values: dict[str, Any] = {}
        for item in fields(cls):
            value = data.get(item.name)
            if value is None and item.default is None:
                continue
            if item.name == "room":
                values["room"] = Room.from_dict(value)
                continue
            if item.name == "speech_spans":
                values["speech_spans"] = _spans(value, "speech_spans")
                continue
            wanted = str(item.type)
            if "bool" in wanted:
                if not isinstance(value, bool):
                    raise ValueError(f"analysis.{item.name} must be true or false")
            elif wanted.startswith("int"):
                if isinstance(value, bool) or not isinstance(value, int):
                    raise ValueError(f"analysis.{item.name} must be a whole number")
            elif isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ValueError(f"analysis.{item.name} must be a finite number")
            values[item.name] = value
        return cls(**values)


# Below this, the recogniser gave other readings more weight than the word it wrote (Whisper's
# word probability): the word may be misheard, so no ✗ may rest on it (issue #16).
UNCLEAR_BELOW = 0.5


@dataclass(frozen=True)
class Word:
    text: str
    start_s: float
    end_s: float
    probability: float = 1.0  # how sure the recogniser was of it; 1.0 where that is not known

    @property
    def unclear(self) -> bool:
        return self.probability < UNCLEAR_BELOW


@dataclass(frozen=True)
class Transcript:
    words: tuple[Word, ...]
    # (start, end) in seconds of speech whose words could not be trusted (a repetition loop cut
    # off): what was said there is unknown, so no hint may say it was not said
    doubtful: tuple[tuple[float, float], ...] = ()
    # words heard where the trainee was not speaking (a neighbour): left out of every hint
    room: tuple[Word, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def timings(self) -> list[dict[str, object]]:
        return [
            {"word": w.text, "start_s": round(w.start_s, 2), "end_s": round(w.end_s, 2),
             "probability": round(w.probability, 2)}
            for w in self.words
        ]  # fmt: skip

    @classmethod
    def from_timings(cls, items: object) -> Transcript:
        if not isinstance(items, list):
            raise ValueError("analysis.word_timings must be a list")
        words = []
        for n, item in enumerate(items):
            if not isinstance(item, Mapping):
                raise ValueError(f"analysis.word_timings[{n}] must be a table")
            text, start, end = item.get("word"), item.get("start_s"), item.get("end_s")
            probability = item.get("probability", 1.0)  # records before it was kept: as if sure
            times_ok = all(
                isinstance(t, int | float) and not isinstance(t, bool) and math.isfinite(t)
                for t in (start, end, probability)
            )
            if not isinstance(text, str) or not times_ok or not 0 <= probability <= 1:  # type: ignore[operator]
                raise ValueError(
                    f"analysis.word_timings[{n}] needs word, start_s and end_s (a probability: 0 to 1)"
                )
            words.append(Word(text, float(start), float(end), float(probability)))  # type: ignore[arg-type]
        return cls(tuple(words))


@dataclass(frozen=True)
class Hint:
    value: bool | None  # None: the machine cannot tell
    evidence: str
    caution: str = ""  # the check passed, but this still needs work ("fast: hard to write down")


# The keys TakeAnalysis writes itself; any other key in a saved analysis (written by a newer
# version) is kept as it was, so re-saving an attempt never drops it.
_OWN_KEYS = frozenset(
    {f.name for f in fields(Measurements)}
    | {"words", "wpm", "fillers", "filler_counts", "transcript", "word_timings"}
    | {"hints", "hint_evidence", "hint_cautions", "doubtful", "room_words"}
)


@dataclass(frozen=True)
class TakeAnalysis:
    """Everything the machine can tell about one take. ``transcript`` is None when nothing was
    recognised (no recogniser, no speech, or the words are still coming)."""

    measurements: Measurements
    transcript: Transcript | None
    hints: Mapping[str, Hint]
    words: int | None = None  # written words ("0116 496 0732" is three)
    wpm: float | None = None
    filler_counts: Mapping[str, int] = field(default_factory=dict)  # in the order first said
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def words_sure(self) -> bool | None:
        """Whether :attr:`words` is a count the coach stands by: False where it said to listen back
        (words it doubted, or stretches it could not make out); None where nothing was recognised."""
        if self.words is None:
            return None
        count = self.hints.get("word_count")
        return count is None or count.value is not None

    @property
    def fillers(self) -> list[str]:
        """The fillers said, each once, in the order first said."""
        return list(self.filler_counts)

    def to_dict(self) -> dict[str, Any]:
        """The saved form (the record's ``[analysis]`` table and ``analyze --json``)."""
        data: dict[str, Any] = dict(self.measurements.to_dict())
        data.update(
            {
                "words": self.words,
                "wpm": self.wpm,
                "fillers": self.fillers,
                "filler_counts": dict(self.filler_counts),
                "transcript": self.transcript.text if self.transcript else "",
                "word_timings": self.transcript.timings() if self.transcript else [],
                "room_words": " ".join(w.text for w in (self.transcript or _NOTHING).room),
                "doubtful": [
                    {"start_s": start, "end_s": end} for start, end in (self.transcript or _NOTHING).doubtful
                ],
                "hints": {k: h.value for k, h in self.hints.items()},
                "hint_evidence": {k: h.evidence for k, h in self.hints.items()},
                "hint_cautions": {k: h.caution for k, h in self.hints.items() if h.caution},
            }
        )
        data.update({k: v for k, v in self.extra.items() if k not in data})
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TakeAnalysis:
        """The inverse of :meth:`to_dict` (TOML has no null: a missing ``words`` means nothing was
        recognised). Raises ValueError, naming the key, on a value of the wrong kind."""
        measurements = Measurements.from_dict(data)
        words = _optional_number(data, "words", int)
        transcript = None
        if words is not None:
            heard = Transcript.from_timings(data.get("word_timings", []))
            room = data.get("room_words", "")
            if not isinstance(room, str):
                raise ValueError("analysis.room_words must be text")
            room_words = tuple(Word(text, 0.0, 0.0) for text in room.split())  # their times are not kept
            transcript = Transcript(heard.words, _spans(data.get("doubtful", [])), room_words)
        return cls(
            measurements=measurements,
            transcript=transcript,
            hints=_hints(data),
            words=words,  # type: ignore[arg-type]
            wpm=_optional_number(data, "wpm", float),
            filler_counts=_counts(data.get("filler_counts", {})),
            extra={k: v for k, v in data.items() if k not in _OWN_KEYS},
        )


_NOTHING = Transcript(())


def _spans(value: object, key: str = "doubtful") -> tuple[tuple[float, float], ...]:
    if not isinstance(value, list):
        raise ValueError(f"analysis.{key} must be a list")
    spans = []
    for n, item in enumerate(value):
        times = [item.get(k) for k in ("start_s", "end_s")] if isinstance(item, Mapping) else []
        if len(times) != 2 or not all(
            isinstance(t, int | float) and not isinstance(t, bool) and math.isfinite(t) for t in times
        ):
            raise ValueError(f"analysis.{key}[{n}] needs start_s and end_s")
        spans.append((float(times[0]), float(times[1])))
    return tuple(spans)


def _optional_number(data: Mapping[str, Any], key: str, kind: type) -> float | int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"analysis.{key} must be a finite number")
    if kind is int and not isinstance(value, int):
        raise ValueError(f"analysis.{key} must be a whole number")
    return kind(value)


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ValueError(f"analysis.{key} must be a table")
    return value


def _counts(value: object) -> dict[str, int]:
    if not isinstance(value, Mapping) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in value.values()
    ):
        raise ValueError("analysis.filler_counts must map each filler to how often it was said")
    return {str(k): int(n) for k, n in value.items()}


def _hints(data: Mapping[str, Any]) -> dict[str, Hint]:
    values, evidence, cautions = (_table(data, k) for k in ("hints", "hint_evidence", "hint_cautions"))
    hints = {}
    for hint_id in dict.fromkeys([*values, *evidence]):  # a hint that cannot tell has no value saved
        value, said, caution = values.get(hint_id), evidence.get(hint_id, ""), cautions.get(hint_id, "")
        if not (value is None or isinstance(value, bool)) or not isinstance(said, str):
            raise ValueError(f"analysis.hints.{hint_id} must be true or false, with its evidence as text")
        hints[str(hint_id)] = Hint(value, said, caution if isinstance(caution, str) else "")
    return hints
