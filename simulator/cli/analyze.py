"""``voicemail-sim analyze``: measurements, transcript and rubric hints of recorded takes.

A stable contract: with ``--json`` each file gives one JSON object on its own line, with at least
duration_s, lead_silence_s, speech_s, words, wpm, transcript and every hint id under "hints";
"preview" (the take heard over the phone line: its first words as a phone's notification shows
them) and "number_check" (the brief's callback number against the digits heard), each null when
there are no words (or no number in the brief).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.cli.common import find_scenario

if TYPE_CHECKING:  # the analysis (numpy, the recogniser) is imported only when a take is analysed
    from simulator.analysis.record import TakeAnalysis


def cmd_analyze(args: argparse.Namespace) -> int:
    from simulator.analysis.take import analyze, hear_as_prospect, number_check_of
    from simulator.audio.base import AudioError, Clip
    from simulator.config import load_settings

    scenario = find_scenario(args, args.scenario)
    line = load_settings().phone_line  # the line the preview is heard over, unless the scenario names one
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
        check = number_check_of(scenario, result.transcript)
        preview = None
        if result.transcript is not None and result.measurements.has_speech:
            preview = hear_as_prospect(clip, scenario, args.caller or "", line)
        if args.json:
            extra = {
                "preview": preview.to_dict() if preview else None,
                "number_check": check.to_dict() if check else None,
            }
            print(json.dumps({"file": str(path), **result.to_dict(), **extra}, ensure_ascii=False))
        else:
            print(render(path, result))
            if preview is not None:
                print(f"  as {scenario.prospect.name}'s phone shows it ({preview.line.value}): "
                      f"{preview.first_words or '(no words)'}")  # fmt: skip
            if check is not None:
                print(f"  number: {check.verdict.value}" + (f" ({check.caution})" if check.caution else ""))
    return 1 if failures else 0


def render(path: Path, analysis: TakeAnalysis) -> str:
    from simulator.analysis.take import filler_summary

    m, heard = analysis.measurements, analysis.transcript
    lines = [
        f"{path}",
        f"  length {m.duration_s:.1f} s, silence before speaking {m.lead_silence_s:.1f} s, "
        f"speaking {m.speech_s:.1f} s",
        f"  words {analysis.words if analysis.words is not None else '-'}, "
        f"pace {analysis.wpm if analysis.wpm is not None else '-'} words/min, "
        f"loudness {m.rms_dbfs:.0f} dBFS",
        f"  heard: {(heard.text if heard else '') or '(nothing)'}",
    ]
    if m.room is not None and m.room.too_loud:
        lines.append(f"  the room was loud (background {m.room.background_dbfs} dBFS): timings may be off")
    if heard is not None and heard.room:
        room_words = " ".join(w.text for w in heard.room)
        lines.append(f"  left out, heard while the trainee was not speaking: {room_words}")
    if heard is not None:
        lines.append(f"  fillers: {filler_summary(analysis.filler_counts)}")
        lines += [f"  unsure what was said at {a:.1f}-{b:.1f} s: listen back" for a, b in heard.doubtful]
    for hint_id, hint in analysis.hints.items():
        said = "⚠" if hint.value is None and hint.caution else _SAID[hint.value]  # ⚠: unsure
        lines.append(f"  {hint_id:<15} {said:<4} {hint.evidence}")
        if hint.caution:
            lines.append(f"  {'':<15} {'':<4} but {hint.caution}")
    return "\n".join(lines)


_SAID = {None: "?", True: "yes", False: "no"}


def add_commands(sub: Any) -> None:
    analyze = sub.add_parser("analyze", help="measure and transcribe takes, with the rubric hints")
    analyze.add_argument("takes", nargs="+", type=Path, metavar="TAKE.wav")
    analyze.add_argument("--scenario", required=True, metavar="ID")
    analyze.add_argument("--caller", metavar="NAME", help="the trainee's name, for the caller_name hint")
    analyze.add_argument("--company", metavar="NAME", help="the caller's company (default: the scenario's)")
    analyze.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    analyze.set_defaults(func=cmd_analyze)
