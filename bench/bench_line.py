"""What the phone line costs (issue #18): the labelled set heard full band, and as the prospect's
phone hears it (landline: G.711 at 8 kHz; mobile: narrower, with lost packets concealed).

Prints, per line: hints right, word counts within 15 %, the brief's number heard the same /
differing / not heard (how often the recogniser drops or changes a digit), and the recogniser's
time against the full-band run in the same command (a ratio: the machines are noisy).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from _common import line

from simulator.testing.accuracy_set import TRANSCRIPT_HINTS, Outcome, cases, outcome


def figures(rows: list[Outcome], seconds: float, baseline_s: float) -> str:
    n = len(rows)
    hints = sum(r.right for r in rows) / (n * len(TRANSCRIPT_HINTS))
    verdicts = Counter(r.number_verdict for r in rows if r.number_verdict is not None)
    said = sum(verdicts.values())
    return (
        f"n {n:>2}  hints {hints:6.1%}  counts {sum(r.word_error <= 0.15 for r in rows) / n:6.1%}  "
        f"number same {verdicts['same']}/{said} differs {verdicts['differs']} "
        f"not heard {verdicts['not heard']}  time x{seconds / baseline_s:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--isa", help="CT2_FORCE_CPU_ISA for this run (GENERIC, AVX, AVX2, AVX512)")
    args = parser.parse_args()
    if args.isa:
        os.environ["CT2_FORCE_CPU_ISA"] = args.isa
    folder = Path(tempfile.mkdtemp())
    takes = cases()
    print("The labelled set over the phone line (against the full-band takes)")
    baseline_s = 0.0
    for condition in ("clean", "line-landline", "line-mobile"):
        started = time.perf_counter()
        rows = [outcome(dataclasses.replace(case, condition=condition), folder) for case in takes]
        seconds = time.perf_counter() - started
        baseline_s = baseline_s or seconds
        line("full band" if condition == "clean" else condition, figures(rows, seconds, baseline_s))


if __name__ == "__main__":
    main()
