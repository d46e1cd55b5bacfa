"""What Whisper makes up, found in its output: repetition loops, words aligned to no time, and
segments that fail its own tests (issue #16).

faster-whisper's batched pipeline computes each segment's compression ratio but does not act on
it, has no temperature fallback and no ``hallucination_silence_threshold``; so these checks are
made here, on what it returns, and :func:`simulator.analysis.whisper.heard_without_loops`
reads a window again, or marks it doubtful, when they fail.
"""

from __future__ import annotations

import itertools
from typing import Any

from simulator.analysis.record import Word

LOW_LOGPROB = -1.0  # Whisper's own: a segment less likely than this would be retried
# A repetition loop: a word, or a run of up to four, said more than LOOP_REPEATS times in a row and
# squeezed into less than MIN_WORD_S a word, which no one can say ("...seven three two five five
# five five...", 40 of them in 1.8 s, where the trainee said "I'll try you again Thursday"). A
# number such as 0116 555 5555 repeats a digit too, but at the pace of speech.
LOOP_REPEATS = 4
LOOP_UNIT_WORDS = 4
MIN_WORD_S = 0.12
INSTANT_S, INSTANT_RUN = 0.02, 3  # three words or more in a row aligned to (next to) no time
MAX_COMPRESSION = 2.4  # Whisper's own: text this repetitive (gzip ratio) is a loop, not speech


def loop_start(words: list[Word]) -> int | None:
    """Where a repetition loop begins in ``words`` (see :data:`LOOP_REPEATS`), or None."""
    texts = [w.text for w in words]
    for size in range(1, LOOP_UNIT_WORDS + 1):
        for start in range(len(texts) - size * (LOOP_REPEATS + 1) + 1):
            unit, repeats = texts[start : start + size], 1
            while texts[start + repeats * size : start + (repeats + 1) * size] == unit:
                repeats += 1
            if repeats > LOOP_REPEATS:
                run = words[start : start + repeats * size]
                if run[-1].end_s - run[0].start_s < MIN_WORD_S * len(run):
                    return start
    return None


def instant_runs(words: list[Word]) -> list[tuple[int, int]]:
    """Runs of words Whisper aligned to no time at all (``[start, end)`` indexes): three or more in
    a row, with at most one other word between two such runs. Words no one had time to say were
    made up ("...seven three two five three four six seven eight nine i'll try...", all at 18.24 s)."""
    runs: list[tuple[int, int]] = []
    index = 0
    while index < len(words):
        end = index
        while end < len(words) and words[end].end_s - words[end].start_s < INSTANT_S:
            end += 1
        if end - index >= INSTANT_RUN:
            if runs and index - runs[-1][1] <= 1:
                index = runs.pop()[0]  # one word between two made-up runs is made up too
            runs.append((index, end))
        index = max(end, index + 1)
    return runs


def trusted(segment: Any) -> bool:
    """Whisper's own tests of a segment: not too repetitive to be speech, not too unlikely."""
    return segment.compression_ratio <= MAX_COMPRESSION and segment.avg_logprob >= LOW_LOGPROB


# Speech Whisper wrote nothing for: this much voiced time between the starts of two words heard in
# a row. On 245 synthesised takes in eight voices and six rooms the most between two words said
# was 1.7 s (a long word, then a breath); where Whisper skipped a sentence ("Hello Anne, Sam Patel
# here from Clearline Office Solutions", "at your office on Riverside Way"), 2.7 and 3.3 s.
SKIPPED_S = 2.0
# ... and before the first word of a stretch: Whisper times its first word early, not late (of 472
# stretches in eight voices and every room, at most 0.16 s after the first voiced frame but where
# neighbours 15 dB down passed for the trainee); where it lost "Anne, this is Sam." on a laptop, 1.04 s.
SKIPPED_FIRST_S = 0.6


def skipped_stretches(
    starts: list[float], voiced: list[bool], frame_s: float, first_s: float = SKIPPED_FIRST_S
) -> list[tuple[float, float]]:
    """Where Whisper skipped speech: (from, to) in seconds between the starts of two words heard in
    a row (``starts``, from the start of the audio), or from the last word to the last voiced frame,
    that hold :data:`SKIPPED_S` or more of voiced frames (``voiced``, one per ``frame_s``); or from
    the first voiced frame to the first word, holding ``first_s`` or more."""
    first = next((i for i, v in enumerate(voiced) if v), None)
    if first is None:
        return []
    counted = [0, *itertools.accumulate(int(v) for v in voiced)]  # voiced frames before each frame

    def voiced_s(start: float, end: float) -> float:
        a, b = (min(len(voiced), max(0, round(t / frame_s))) for t in (start, end))
        return (counted[b] - counted[a]) * frame_s if b > a else 0.0

    last = len(voiced) - next(i for i, v in enumerate(reversed(voiced)) if v)
    begin, end = first * frame_s, last * frame_s
    edges = [t for t in [begin] if not starts or starts[0] > t] + starts
    edges += [t for t in [end] if edges[-1] < t]
    return [
        (a, b)
        for a, b in itertools.pairwise(edges)
        if voiced_s(a, b) >= (first_s if a == begin and starts and b == starts[0] else SKIPPED_S)
    ]
