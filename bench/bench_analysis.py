"""What the machine hears, measured: accuracy on the labelled set, and stop-to-results latency.

1. Accuracy over tests/accuracy_set.py (espeak-ng and flite voices, silence, noise): duration and
   lead-silence error, word count error, and how many hints are right, per synthesiser.
2. Stop-to-results latency for a 30-second take, recorded in real time through the file-backed
   microphone and the app's own PracticeAttempt: to the results (record saved, review shown) and
   to the last words (transcript and hints added), against batch decoding of the same take after
   the stop, with the ratios; then takes stopped 0.3, 0.6 and 1.0 s after the last word, as a
   trainee reaching for the key does.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import soundfile as sf
from _common import line

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.analysis.take import analyze
from simulator.audio.base import Clip
from simulator.audio.file_device import FileBackend
from simulator.locations import shipped_scenarios_dir
from simulator.practice import PracticeAttempt
from simulator.scenario_loader import load_library
from simulator.store import Store
from simulator.testing.accuracy_set import TRANSCRIPT_HINTS, Outcome, cases, fillers_heard, outcome
from simulator.testing.speech import speak


def accuracy(folder: Path, verbose: bool) -> None:
    per_group: dict[str, list[Outcome]] = defaultdict(list)
    misses: dict[str, int] = defaultdict(int)
    unsure: dict[str, int] = defaultdict(int)
    false_alarms = 0
    for case in cases():
        result = outcome(case, folder)
        for h in result.wrong:
            misses[h] += 1
            false_alarms += not result.expected[h]
        for h in result.unsure:
            unsure[h] += 1
            false_alarms += not result.expected[h]
        for group in (f"{case.engine} {case.voice}", f"split: {case.message.split}", "all"):
            per_group[group].append(result)
        if verbose:
            print(f"  {case.id:<46} words {result.words}/{case.message.written_words}  "
                  f"wrong: {', '.join(result.wrong) or '-'}  "
                  f"unsure: {', '.join(result.unsure) or '-'}")  # fmt: skip
            print(f"      heard: {result.transcript}"[:160])
    print(f"Accuracy over {len(cases())} labelled takes ({len(TRANSCRIPT_HINTS)} hints each)")
    for group, rows in per_group.items():
        right, count = sum(r.right for r in rows), len(rows) * len(TRANSCRIPT_HINTS)
        line(f"{group}: hints right", f"{right}/{count} ({right / count:.0%}), "
             f"word count error median {statistics.median(r.word_error for r in rows):.0%} "
             f"(within 15 %: {sum(r.word_error <= 0.15 for r in rows)}/{len(rows)}), "
             f"lead error max {max(r.lead_error_s for r in rows):.2f} s")  # fmt: skip
    line("floor", "90 % of hints right; word count within 15 %")
    line(
        "false alarms (not ✗, but not said)",
        f"{false_alarms} of {len(cases()) * len(TRANSCRIPT_HINTS)}",
    )
    line("wrong by hint", ", ".join(f"{h} {n}" for h, n in sorted(misses.items(), key=lambda kv: -kv[1])))
    by_count = sorted(unsure.items(), key=lambda kv: -kv[1])
    line("unsure by hint (⚠ listen back, or ?)", ", ".join(f"{h} {n}" for h, n in by_count) or "none")
    made_up = sum(bool(r.fillers) for r in per_group["all"])
    heard, said = fillers_heard(folder)
    line("fillers heard (um, uh, er, like, you know)", f"{heard} of {said} said; made up in {made_up} of "
         f"{len(cases())} takes without any")  # fmt: skip


def _stop(take: Path, store: Store, scenario) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Record ``take`` through the file-backed microphone in real time, as the app does, and press
    stop at its end: seconds from the stop to the results (record saved, review shown) and to the
    last words (transcript and hints added)."""
    practice = PracticeAttempt(store, scenario, "Sam Patel")
    recorder = practice.start_recording(FileBackend(take, speed=1.0))
    seconds = Clip.load(take).duration_s
    while recorder.elapsed_s < seconds:
        time.sleep(0.005)
    stopped = time.monotonic()  # the trainee stops: CallScreen.finish, then the review
    practice.finish(recorder.stop())
    results = time.monotonic() - stopped
    practice.hear_words()  # the app's background worker
    return results, time.monotonic() - stopped


GAPS_S = (0.3, 0.6, 1.0)  # the trainee stops this long after their last word


def latency(folder: Path) -> None:
    scenario = load_library([shipped_scenarios_dir()]).get("cold-call")
    store = Store(folder / "data")
    text = " ".join([cases()[0].message.text] * 3)
    spoken = Clip.load(speak(text, folder / "long.wav", "slt", 175, "flite"))
    rate = spoken.samplerate
    clip = Clip(spoken.samples[: 30 * rate], rate)  # speech cut by the stop, mid-sentence
    takes = {"streamed, speaking until the stop": _write(clip, folder / "cut.wav")}
    # a whole message said twice (about 28 s); the trainee reaches for the key after it
    message = Clip.load(
        speak(" ".join([cases()[0].message.text] * 2), folder / "twice.wav", "slt", 175, "flite")
    )
    said = message.samples[: np.nonzero(np.abs(message.samples) > 0.01)[0][-1] + 1]  # up to the last word
    for gap in GAPS_S:
        what = f"streamed, a {len(said) / rate:.0f} s message stopped {gap:.1f} s after its last word"
        gapped = Clip(np.concatenate([said, np.zeros(int(gap * rate), np.float32)]), rate)
        takes[what] = _write(gapped, folder / f"gap-{gap}.wav")
    _stop(_write(Clip(clip.samples[: 3 * rate], rate), folder / "warm.wav"), store, scenario)  # loads Whisper
    timings = {what: _stop(take, store, scenario) for what, take in takes.items()}
    stopped = time.monotonic()
    analyze(clip, scenario, caller="Sam Patel")  # measure, then transcribe the whole take, then hints
    batch_latency = time.monotonic() - stopped
    print(f"Stop to results for a {clip.duration_s:.0f} s take (goal <= 0.25 s): shown / last words in")
    line("batch: measure and transcribe after the stop (baseline)", f"{batch_latency:6.2f} s")
    for what, (results, words) in timings.items():
        line(what, f"{results:6.2f} s / {words:6.2f} s")
    results, words = timings["streamed, speaking until the stop"]
    line("ratio (batch / streamed, speaking until the stop)", f"{batch_latency / max(results, 1e-3):6.1f} x "
         f"to the results, {batch_latency / max(words, 1e-3):.1f} x to the last words")  # fmt: skip


def _write(clip: Clip, path: Path) -> Path:
    sf.write(path, clip.samples, clip.samplerate)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="print every take's misses and words")
    parser.add_argument("--only", choices=("accuracy", "latency"), help="run one of the two")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.only != "latency":
            accuracy(Path(tmp), args.verbose)
        if args.only != "accuracy":
            latency(Path(tmp))


if __name__ == "__main__":
    main()
