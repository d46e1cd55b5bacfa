"""``voicemail-sim analyze``: measurements, transcript and rubric hints of recorded takes.

A stable contract: with ``--json`` each file gives one JSON object on its own line, with at least
duration_s, lead_silence_s, speech_s, words, wpm, transcript and every hint id under "hints".
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from simulator.cli.common import find_scenario


def cmd_analyze(args: argparse.Namespace) -> int:
    from simulator.analysis.take import analyze
    from simulator.audio.base import AudioError, Clip

    scenario = find_scenario(args, args.scenario)
    failures = 0
    for path in args.takes:
        try:
            if not path.is_file():
                raise AudioError(f"{path}: no such file")
            clip = Clip.load(path)
            if len(clip.samples) == 0:
                raise AudioError(f"{path}: the file holds no audio")
        except AudioError as error:
            failures += 1
            print(f"voicemail-sim: {error}", file=sys.stderr)
            continue
        who = {"caller": args.caller or "", "company": args.company or ""}
        try:
            result = analyze(clip, scenario, **who)
        except RuntimeError as error:  # no recogniser: the measurements still stand, without words
            failures += 1
            print(f"voicemail-sim: {path}: {error}; measured without the words", file=sys.stderr)
            result = analyze(clip, scenario, **who, recognise=False)
        data = {"file": str(path), **result.to_dict()}
        if args.json:
            print(json.dumps(data, ensure_ascii=False))
        else:
            print(render(data))
    return 1 if failures else 0


def render(data: dict[str, Any]) -> str:
    from simulator.analysis.take import filler_summary

    lines = [
        f"{data['file']}",
        f"  length {data['duration_s']:.1f} s, silence before speaking {data['lead_silence_s']:.1f} s, "
        f"speaking {data['speech_s']:.1f} s",
        f"  words {data['words'] if data['words'] is not None else '-'}, "
        f"pace {data['wpm'] if data['wpm'] is not None else '-'} words/min, "
        f"loudness {data['rms_dbfs']:.0f} dBFS",
        f"  heard: {data['transcript'] or '(nothing)'}",
    ]
    if data["words"] is not None:
        lines.append(f"  fillers: {filler_summary(data['filler_counts'])}")
    for hint_id, value in data["hints"].items():
        said = "?" if value is None else "yes" if value else "no"
        lines.append(f"  {hint_id:<15} {said:<4} {data['hint_evidence'][hint_id]}")
        if caution := data.get("hint_cautions", {}).get(hint_id):
            lines.append(f"  {'':<15} {'':<4} but {caution}")
    return "\n".join(lines)


def add_commands(sub: Any) -> None:
    analyze = sub.add_parser("analyze", help="measure and transcribe takes, with the rubric hints")
    analyze.add_argument("takes", nargs="+", type=Path, metavar="TAKE.wav")
    analyze.add_argument("--scenario", required=True, metavar="ID")
    analyze.add_argument("--caller", metavar="NAME", help="the trainee's name, for the caller_name hint")
    analyze.add_argument("--company", metavar="NAME", help="the caller's company (default: the scenario's)")
    analyze.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    analyze.set_defaults(func=cmd_analyze)
