"""What Whisper makes up, found in its output: repetition loops, words aligned to no time, and
segments that fail its own tests (issue #16).

faster-whisper's batched pipeline computes each segment's compression ratio but does not act on
it, has no temperature fallback and no ``hallucination_silence_threshold``; so these checks are
made here, on what it returns, and :func:`simulator.analysis.transcribe.heard_without_loops`
reads a window again, or marks it doubtful, when they fail.
"""

from __future__ import annotations

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
