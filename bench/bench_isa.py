"""What the machine hears on each CPU: the labelled set under every instruction set this CPU has.

CTranslate2 picks Whisper's int8 kernels by CPU, so the words differ slightly between machines.
This runs the labelled set (simulator/testing/accuracy_set.py) once per instruction set
(``CT2_FORCE_CPU_ISA``), each in its own process, and prints each figure beside the floor that
tests/test_accuracy.py holds, with the margin left, and the time against the first set's.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import line

ISA_FLAGS = {"GENERIC": None, "AVX": "avx", "AVX2": "avx2", "AVX512": "avx512f"}

MEASURE = """
import json, statistics, sys, tempfile
from pathlib import Path
from simulator.testing.accuracy_set import TRANSCRIPT_HINTS, cases, fillers_heard, outcome
folder = Path(tempfile.mkdtemp())
rows = [outcome(case, folder) for case in cases()]
hints = len(TRANSCRIPT_HINTS)
held = [r for r in rows if r.case.message.split == "held-out"]
heard, said = fillers_heard(folder)
print(json.dumps({
    "hints right": sum(r.right for r in rows) / (len(rows) * hints),
    "held-out hints right": sum(r.right for r in held) / (len(held) * hints),
    "worst voice hints right": min(
        sum(r.right for r in v) / (len(v) * hints)
        for v in ([r for r in rows if r.case.voice == name] for name in {r.case.voice for r in rows})
    ),
    "false alarms": sum(1 for r in rows for h in r.not_right if not r.expected[h]),
    "word counts within 15 %": sum(r.word_error <= 0.15 for r in rows) / len(rows),
    "takes with a made-up filler": sum(bool(r.fillers) for r in rows),
    "fillers heard": heard / said,
    "lead error max (s)": max(r.lead_error_s for r in rows),
}))
"""

# (figure, floor in tests/test_accuracy.py, True when higher is better)
FLOORS = {
    "hints right": (0.95, True),
    "held-out hints right": (0.94, True),
    "worst voice hints right": (0.90, True),
    "false alarms": (3, False),
    "word counts within 15 %": (0.95, True),
    "takes with a made-up filler": (1, False),
    "fillers heard": (0.70, True),
    "lead error max (s)": (0.15, False),
}


def supported() -> list[str]:
    try:
        flags = set(Path("/proc/cpuinfo").read_text().split())
    except OSError:
        flags = set()
    return [isa for isa, flag in ISA_FLAGS.items() if flag is None or flag in flags]


def measure(isa: str) -> tuple[dict[str, float], float]:
    started = time.perf_counter()
    env = {**os.environ, "CT2_FORCE_CPU_ISA": isa}
    done = subprocess.run(
        [sys.executable, "-c", MEASURE], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1]), time.perf_counter() - started


def shown(value: float, figure: str) -> str:
    if figure.endswith("(s)"):
        return f"{value:.2f} s"
    return f"{value:.1%}" if isinstance(value, float) else f"{value:g}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--isa", action="append", help="only these sets (default: all this CPU has)")
    args = parser.parse_args()
    sets = args.isa or supported()
    results = {}
    with tempfile.TemporaryDirectory():
        for isa in sets:
            results[isa] = measure(isa)
    baseline = results[sets[0]][1]
    print(f"The labelled set under each instruction set ({', '.join(sets)}): figure, floor, margin")
    for figure, (floor, higher) in FLOORS.items():
        values = [results[isa][0][figure] for isa in sets]
        worst = min(values) if higher else max(values)
        margin = worst - floor if higher else floor - worst
        cells = "  ".join(f"{isa} {shown(v, figure)}" for isa, v in zip(sets, values, strict=True))
        line(figure, f"{cells}  (floor {shown(floor, figure)}, worst margin {shown(margin, figure)})")
    times = "  ".join(f"{isa} {results[isa][1] / baseline:.2f}x" for isa in sets)
    line(f"time against {sets[0]} ({baseline:.0f} s)", times)
    line("spread of hints right", f"{statistics.pstdev([results[i][0]['hints right'] for i in sets]):.2%}")


if __name__ == "__main__":
    main()
