"""What the machine hears, measured: accuracy on the labelled set, and stop-to-results latency.

1. Accuracy over tests/accuracy_set.py (espeak-ng and flite voices, silence, noise): duration and
   lead-silence error, word count error, and how many hints are right, per synthesiser.
2. Stop-to-results latency for a 30-second take: streamed while "recording" (fed in real time)
   against batch decoding of the same take after the stop. Prints the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from _common import line

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.analysis.take import analyze, listening_for
from simulator.analysis.transcribe import Transcriber, transcribe
from simulator.audio.base import Clip
from simulator.locations import shipped_scenarios_dir
from simulator.scenario_loader import load_library
from tests.accuracy_set import TRANSCRIPT_HINTS, cases, clip_for
from tests.conftest import speak


def accuracy(folder: Path, verbose: bool) -> None:
    library = load_library([shipped_scenarios_dir()])
    per_group: dict[str, list[tuple[int, int, float, float]]] = defaultdict(list)
    misses: dict[str, int] = defaultdict(int)
    for case in cases():
        clip = clip_for(case, folder)
        scenario = library.get(case.message.scenario_id)
        own_lead = analyze(Clip(clip.samples[int(case.lead_s * clip.samplerate):], clip.samplerate), scenario,
                           recognise=False).measurements.lead_silence_s  # fmt: skip
        result = analyze(clip, scenario, caller=case.message.caller)
        wrong = [h for h in TRANSCRIPT_HINTS if result.hints[h].value != case.message.hints[h]]
        for h in wrong:
            misses[h] += 1
        right = len(TRANSCRIPT_HINTS) - len(wrong)
        word_error = abs((result.words or 0) - case.message.written_words) / case.message.written_words
        lead_error = abs(result.measurements.lead_silence_s - (case.lead_s + own_lead))
        row = (right, len(TRANSCRIPT_HINTS), word_error, lead_error)
        for group in (f"{case.engine} {case.voice}", f"split: {case.message.split}", "all"):
            per_group[group].append(row)
        if verbose:
            print(f"  {case.id:<46} words {result.words}/{case.message.written_words}  "
                  f"wrong: {', '.join(wrong) or '-'}")  # fmt: skip
            print(f"      heard: {result.transcript.text if result.transcript else ''}"[:160])
    print(f"Accuracy over {len(cases())} labelled takes ({len(TRANSCRIPT_HINTS)} hints each)")
    for group, rows in per_group.items():
        right, count = sum(r[0] for r in rows), sum(r[1] for r in rows)
        line(f"{group}: hints right", f"{right}/{count} ({right / count:.0%}), "
             f"word count error median {statistics.median(r[2] for r in rows):.0%} "
             f"(within 15 %: {sum(r[2] <= 0.15 for r in rows)}/{len(rows)}), "
             f"lead error max {max(r[3] for r in rows):.2f} s")  # fmt: skip
    line("floor", "90 % of hints right; word count within 15 %")
    line("misses by hint", ", ".join(f"{h} {n}" for h, n in sorted(misses.items(), key=lambda kv: -kv[1])))


def latency(folder: Path) -> None:
    scenario = load_library([shipped_scenarios_dir()]).get("cold-call")
    text = " ".join([cases()[0].message.text] * 3)
    clip = Clip.load(speak(text, folder / "long.wav", "slt", 175, "flite"))
    clip = Clip(clip.samples[: 30 * clip.samplerate], clip.samplerate)
    listening = listening_for(scenario, "Sam Patel")
    block = int(clip.samplerate * 0.05)
    streamed = Transcriber(listening)
    start = time.monotonic()
    for offset in range(0, len(clip.samples), block):  # in real time, as a microphone delivers it
        streamed.feed(clip.samples[offset : offset + block], clip.samplerate)
        time.sleep(max(0.0, start + (offset + block) / clip.samplerate - time.monotonic()))
    stopped = time.monotonic()
    streamed.finish()
    streamed_latency = time.monotonic() - stopped
    stopped = time.monotonic()
    transcribe(clip.samples, clip.samplerate, listening)
    batch_latency = time.monotonic() - stopped
    print(f"Stop to results for a {clip.duration_s:.0f} s take")
    line("batch: decode after the stop (baseline)", f"{batch_latency:6.2f} s")
    line("streamed while speaking", f"{streamed_latency:6.2f} s   goal <= 0.25 s")
    line("ratio (batch / streamed)", f"{batch_latency / max(streamed_latency, 1e-3):6.1f} x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        accuracy(Path(tmp), args.verbose)
        latency(Path(tmp))


if __name__ == "__main__":
    main()
