"""What the machine hears in a real classroom: the labelled set per room and microphone (issue #16).

For the clean set and each room condition of simulator/testing/rooms.py, prints: hints right, word
counts within 15 %, timings right (silence before speaking within 0.15 s and the pause count),
takes called too loud, recall of the message's first two words, and the prospect's name heard when
said in the first words (and how often "did not hear their name" was said to a trainee who said
it); each beside the floor tests/test_rooms.py (or tests/test_accuracy.py)
holds. Under each room, the same takes recorded in a quiet room on a good microphone, analysed in
the same run: the baseline, so what the room itself costs is told apart from what its messages
cost (the device-rate rooms use the one message whose first word is the prospect's name alone).
``--isa`` runs it under one CTranslate2 instruction set (the words differ by CPU);
``--other-voices`` speaks every message in each room in voices the labelled set does not use.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from _common import line

from simulator.testing import rooms
from simulator.testing.accuracy_set import TRANSCRIPT_HINTS, Outcome, cases, outcome, room_cases
from simulator.testing.other_voices import other_voice_cases


def figures(rows: list[Outcome]) -> str:
    n = len(rows)
    hints = sum(r.right for r in rows) / (n * len(TRANSCRIPT_HINTS))
    early = [r.early_name_heard for r in rows if r.early_name_heard is not None]
    name = f"{sum(early)}/{len(early)}" if early else "-"
    wrong = sum(len(r.wrong) for r in rows) / (n * len(TRANSCRIPT_HINTS))
    unsure = sum(len(r.unsure) for r in rows) / (n * len(TRANSCRIPT_HINTS))
    called_missing = sum("prospect_name" in r.wrong for r in rows if r.early_name_heard is not None)
    return (
        f"n {n:>2}  hints {hints:6.1%} (wrong {wrong:5.1%}, unsure {unsure:5.1%})  "
        f"counts {sum(r.word_error <= 0.15 for r in rows) / n:6.1%}  "
        f"timings {sum(r.timings_right for r in rows):>2}/{n:<2}  loud {sum(r.too_loud for r in rows):>2}  "
        f"first two words {sum(r.first_words_heard for r in rows) / n:6.1%}  early name {name} "
        f"(called missing {called_missing})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--isa", help="CT2_FORCE_CPU_ISA for this run (GENERIC, AVX, AVX2, AVX512)")
    parser.add_argument("--room", action="append", help="only these rooms (default: clean and all)")
    parser.add_argument("--other-voices", action="store_true", help="every message, in voices not labelled")
    args = parser.parse_args()
    if args.isa:
        os.environ["CT2_FORCE_CPU_ISA"] = args.isa
    wanted = args.room or ["clean", *rooms.CONDITIONS]
    folder = Path(tempfile.mkdtemp())
    print("The labelled set per room (floors: tests/test_rooms.py, tests/test_accuracy.py)")
    started = time.perf_counter()
    quiet: dict[str, Outcome] = {}  # each take in the quiet room, analysed once
    for room in wanted:
        if args.other_voices:
            takes = other_voice_cases(room)
        else:
            takes = cases() if room == "clean" else room_cases(room)
        rows = [outcome(case, folder) for case in takes]
        line(room, figures(rows))
        if room == "clean":
            quiet.update((row.case.id, row) for row in rows)
        else:
            for case in takes:
                if case.clean.id not in quiet:
                    quiet[case.clean.id] = outcome(case.clean, folder)
            line("  the same takes, quiet room", figures([quiet[case.clean.id] for case in takes]))
    line("time", f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
