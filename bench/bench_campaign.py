"""The campaign checks on labelled message pairs (issue #19): repeat / genuinely new / chasing.

Each pair is an earlier message and a later one to the same prospect, spoken by two synthetic
voices and heard by the recogniser as the app hears a take; the checks then compare the later
message's words with the earlier one's. Prints, as written (every word heard) and per voice:
repeats flagged, new messages wrongly flagged as repeats (false alarms), chases flagged as not
standing alone, new messages wrongly flagged so, and the share of content words each kind shares
with its earlier message (where the threshold sits). The checks' own time is printed against the
rest of the hints' time on the same words, in the same command.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
import time
from pathlib import Path

from _common import line

from simulator.analysis.campaign_hints import REPEAT_SHARE, repetition
from simulator.analysis.hints import machine_hints
from simulator.analysis.record import Measurements, Transcript, Word
from simulator.campaign_loader import load_campaigns
from simulator.locations import shipped_scenarios_dir
from simulator.scenario_loader import load_library
from simulator.scenarios import EarlierMessage
from simulator.testing.campaign_pairs import (
    PAIR_VOICES,
    PAIRS,
    PairKind,
    PairVerdict,
    heard_words,
    judged,
    written_words,
)


def figures(verdicts: list[PairVerdict], shares: dict[PairKind, list[float]]) -> str:
    def count(kind: PairKind, flagged: str) -> str:
        rows = [v for v in verdicts if v.pair.kind is kind]
        return f"{sum(getattr(v, flagged) for v in rows)}/{len(rows)}"

    spread = "  ".join(f"{kind.value} {min(s):.2f}-{max(s):.2f}" for kind, s in shares.items() if s)
    return (
        f"repeats flagged {count(PairKind.REPEAT, 'repeat_flagged')}  "
        f"new called repeats {count(PairKind.NEW, 'repeat_flagged')}  "
        f"chases flagged {count(PairKind.CHASING, 'chasing_flagged')}  "
        f"new called chasing {count(PairKind.NEW, 'chasing_flagged')}  shared words: {spread}"
    )


def judge_all(campaigns, words_of) -> tuple[list[PairVerdict], dict[PairKind, list[float]]]:  # type: ignore[no-untyped-def]
    verdicts, shares = [], {kind: [] for kind in PairKind}
    for pair in PAIRS:
        campaign = campaigns[pair.campaign_id]
        earlier, later = words_of(pair.earlier, pair), words_of(pair.later, pair)
        verdicts.append(judged(pair, campaign, [w.text for w in earlier], later))
        scenario = campaign.step_scenario(pair.step)
        found = repetition([w.text for w in later], [w.text for w in earlier], pair.step - 1, scenario)
        shares[pair.kind].append(found.share)
    return verdicts, shares


def check_time(campaigns) -> str:  # type: ignore[no-untyped-def]
    """All the hints of a campaign step's take, against the same take's hints outside a campaign
    (the same written words, in the same command): what the four campaign checks add."""
    pair = PAIRS[0]
    campaign = campaigns[pair.campaign_id]
    before = campaign.step(pair.step - 1)
    earlier = (EarlierMessage(before.number, before.at, tuple(w.text for w in written_words(pair.earlier))),)
    step = campaign.step_scenario(pair.step, earlier)
    plain = dataclasses.replace(step, campaign=None)
    heard = Transcript(tuple(written_words(pair.later)))
    measured = Measurements(20.0, 0.4, 0.6, 17.0, 0, 0.5, -20.0, -3.0, False, False, True)
    timings = []
    for scenario in (plain, step):
        started = time.perf_counter()
        for _ in range(200):
            machine_hints(scenario, measured, heard, caller=scenario.brief.caller)
        timings.append(time.perf_counter() - started)
    return f"x{timings[1] / timings[0]:.2f} the hints' time outside a campaign"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--isa", help="CT2_FORCE_CPU_ISA for this run (GENERIC, AVX, AVX2, AVX512)")
    args = parser.parse_args()
    if args.isa:
        os.environ["CT2_FORCE_CPU_ISA"] = args.isa
    library = load_library([shipped_scenarios_dir()])
    campaigns = load_campaigns([shipped_scenarios_dir()], library.scenarios).campaigns
    print(f"Campaign checks on {len(PAIRS)} labelled pairs (repeat share threshold {REPEAT_SHARE:.2f})")
    line("as written", figures(*judge_all(campaigns, lambda text, pair: written_words(text))))
    folder = Path(tempfile.mkdtemp())
    for voice in PAIR_VOICES:
        cache: dict[str, list[Word]] = {}

        def heard(text: str, pair, voice=voice, cache=cache) -> list[Word]:  # type: ignore[no-untyped-def]
            if text not in cache:
                scenario = library.get(campaigns[pair.campaign_id].prospect_from)
                cache[text] = heard_words(text, scenario, voice, folder)
            return cache[text]

        line(f"heard, {voice[0]} {voice[1]}", figures(*judge_all(campaigns, heard)))
    line("hints of a campaign step", check_time(campaigns))


if __name__ == "__main__":
    main()
