"""Report and CSV export over many records: a cold run (builds the index) against warm runs.

Generates N attempt records (default 100,000) across 40 trainees and the shipped scenarios, then
times ``voicemail-sim report`` and ``voicemail-sim export --format csv`` as child processes, with
each child's peak memory. The baseline is the cold run in the same command: every record parsed.
Goal: the report within 2 s; memory bounded.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import tomli_w
from _common import line

from simulator.attempts import Assessment, Attempt, Rater, RaterKind, ScoredAssessment, TimingVerdict
from simulator.locations import shipped_scenarios_dir
from simulator.records import attempt_to_dict
from simulator.scenario_loader import load_library
from simulator.store import Store
from simulator.testing.analyses import analysis_with


def generate(store: Store, count: int) -> None:
    rng = random.Random(1)
    scenarios = load_library([shipped_scenarios_dir()]).ordered()
    trainees = [f"Trainee {n:02d}" for n in range(40)]
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    for n in range(count):
        scenario = scenarios[n % len(scenarios)]
        trainee = trainees[n % len(trainees)]
        when = start + timedelta(minutes=7 * n)
        ratings = {c.id: rng.choice(c.scale.levels) for c in scenario.rubric.criteria}
        kinds = [RaterKind.SELF] + ([RaterKind.INSTRUCTOR] if n % 3 == 0 else [])
        attempt = Attempt(
            id=f"{n:032x}",
            trainee=trainee,
            scenario_id=scenario.id,
            scenario_title=scenario.title,
            scenario_version=scenario.version,
            started_at=when,
            duration_s=round(rng.uniform(8, 50), 2),
            audio_file=f"{n}.wav",
            analysis=analysis_with(words=rng.randint(20, 80)),
            assessments=tuple(
                ScoredAssessment(
                    Assessment(Rater(k), ratings), rng.uniform(30, 100), TimingVerdict.WITHIN_TARGET
                )
                for k in kinds
            ),
        )
        path = store.take_path(trainee, scenario.id, when, attempt.id).with_suffix(".toml")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(tomli_w.dumps(attempt_to_dict(attempt)), encoding="utf-8")


def run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of a child process."""
    start = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.monotonic()
        generate(Store(folder / "data"), args.records)
        print(f"Generated {args.records} records in {time.monotonic() - started:.0f} s")
        env = {**os.environ, "XDG_CACHE_HOME": str(folder / "cache")}
        cli = [sys.executable, "-m", "simulator"]
        report = [*cli, "report", str(folder / "data")]
        export = [*cli, "export", "--format", "csv", "-o", str(folder / "out.csv"), str(folder / "data")]
        cold, cold_mem = run(report, env)
        warm = [run(report, env) for _ in range(3)]
        exports = [run(export, env) for _ in range(3)]
    best, mem = min(warm)
    print(f"Class report and CSV export over {args.records} records (child processes, best of 3 warm runs)")
    line("report, cold: parse every record (baseline)", f"{cold:6.2f} s  {cold_mem:6.0f} MiB peak")
    line("report, warm index", f"{best:6.2f} s  {mem:6.0f} MiB peak   goal <= 2 s")
    line("export --format csv, warm index", f"{min(exports)[0]:6.2f} s  {min(exports)[1]:6.0f} MiB peak")
    line("ratio (cold / warm report)", f"{cold / best:6.1f} x")


if __name__ == "__main__":
    main()
