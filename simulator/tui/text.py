"""Rich text for the screens: the brief, the rubric, criteria and their hints."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group
from rich.table import Table
from rich.text import Text

from simulator.analysis.hints import HINT_NAMES, MARK_STYLES, Hint, mark
from simulator.analysis.measure import Measurements
from simulator.analysis.take import TakeAnalysis, filler_summary
from simulator.scenarios import Criterion, Scale, Scenario, as_advice

STILL_HEARING = "still hearing your last words…"
# a take with speech whose words never came (a machine too busy to keep up, no recogniser)
WORDS_LOST = (
    "The machine could not make out the words of this take: it checked only the timing. "
    "Listen back to rate the rest."
)


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, with "…" where it was cut: at a word where one ends
    in the second half of the room (walked: "…Safeguard Backup yo", "over the weekend I reali…")."""
    if len(text) <= width:
        return text
    if width <= 1:  # a terminal too narrow for any of it (a negative slice would keep nearly all)
        return "…"[: max(width, 0)]
    cut = text[: width - 1]
    space = cut.rfind(" ")
    if text[width - 1] not in " ,;:·." and space >= width // 2:  # else the cut ends a word already
        cut = cut[:space]
    return cut.rstrip(" ,;:·.…") + "…"


def bulleted(items: Iterable[Text | str], indent: int = 2, mark: str = "• ") -> Table:
    """Bullet points whose wrapped lines hang under their first word, not under the bullet (walked:
    "Work on next" guidance ran back to column 0 on its second line); ``mark=""``: indented lines
    whose wrapped lines keep the indent."""
    grid = Table.grid(expand=True)
    grid.add_column(width=indent + len(mark), no_wrap=True)
    grid.add_column(ratio=1)
    for item in items:
        grid.add_row(" " * indent + mark, item)
    return grid


def words_lost(analysis: TakeAnalysis | None) -> bool:
    """Whether the take had speech but the machine has none of its words."""
    return analysis is not None and analysis.transcript is None and analysis.measurements.has_speech


def brief_text(scenario: Scenario, with_rubric: bool = True) -> Text:
    brief, prospect, targets = scenario.brief, scenario.prospect, scenario.targets
    text = Text()
    text.append(f"{scenario.title}\n", style="bold")
    place = scenario.campaign
    kind = f"campaign · message {place.step} of {place.steps}" if place else scenario.kind.value
    text.append(f"{kind}\n\n", style="dim")
    text.append("You  ", style="bold cyan")
    text.append(f"{brief.caller_role}, {brief.company}\n{as_advice(brief.offer)}\n")
    if brief.callback_number or brief.email:
        text.append(f"Your number {brief.callback_number or '-'}\nEmail {brief.email or '-'}\n")  # each whole
    text.append("\nThe call  ", style="bold cyan")
    text.append(f"{as_advice(brief.situation)}\n")
    if brief.history:
        text.append("\nBefore now  ", style="bold cyan")
        text.append(f"{as_advice(brief.history)}\n")
    text.append("\nA good outcome  ", style="bold cyan")
    text.append(f"{as_advice(brief.goal)}\n")
    text.append("\nProspect  ", style="bold cyan")
    text.append(f"{prospect.name}, {prospect.role}, {prospect.company}\n")
    text.append("\nTargets  ", style="bold cyan")
    text.append(
        f"{targets.min_seconds:g}-{targets.max_seconds:g} seconds, at most {targets.max_words} words "
        f"(the voicemail cuts off at {targets.hard_max_seconds:g} s)\n"
    )
    if with_rubric:
        text.append("\nYou will be assessed on\n", style="bold cyan")
        for criterion in scenario.rubric.criteria:
            text.append("  ☐ ", style="cyan")
            text.append(f"{criterion.label}", style="bold")
            text.append(f": {criterion.question}\n")
    return text


def checklist_text(scenario: Scenario) -> Text:
    """What the take will be assessed on, one criterion a line: the brief's side panel."""
    text = Text("You will be assessed on\n", style="bold cyan")
    for criterion in scenario.rubric.criteria:
        text.append("☐ ", style="cyan")
        text.append(f"{criterion.label}\n")
    return text


def criterion_text(criterion: Criterion, rating: int | None) -> Text:
    text = Text(f"{criterion.question}\n\n", style="bold")
    yes_no = criterion.scale is Scale.YES_NO
    for level in reversed(criterion.scale.levels):
        key = ("y" if level else "n") if yes_no else str(level)
        chosen = rating == level
        text.append(" ● " if chosen else " ○ ", style="bold green" if chosen else "")
        text.append(f"[{key}] ", style="bold")
        label = criterion.anchor(level) or criterion.scale.label(level)
        if yes_no and criterion.anchor(level):
            label = f"{criterion.scale.label(level)}: {label}"
        text.append(f"{label}\n", style="bold green" if chosen else "")
    text.append(f"\n{criterion.advice}\n", style="italic")
    text.append(f"weight {criterion.weight:g}", style="dim")
    return text


def hint_names(hint_ids: list[str]) -> str:
    """The checks named as a trainee reads them: "their name, your name"."""
    return ", ".join(HINT_NAMES.get(h, h.replace("_", " ")) for h in hint_ids)


def hint_text(criterion: Criterion, hints: dict[str, Hint], hearing: bool = False) -> Text:
    """The machine's checks for one criterion; ``hearing``: the last words are not in yet."""
    text = Text("What the machine heard\n", style="bold magenta")
    if not criterion.hints:
        text.append("Nothing it can check for this one: your judgement.", style="dim")
        return text
    unknown: dict[str, list[str]] = {}
    # the same words for several checks are one line, naming them (walked: a silent take's intro
    # said "✗ no speech was heard in the take" four times)
    known: dict[tuple[str, str, str], list[str]] = {}
    for hint_id in criterion.hints:
        hint = hints.get(hint_id)
        if hint is None or (hint.value is None and not hint.caution):  # a caution: unsure, ⚠
            reason = STILL_HEARING if hearing else hint.evidence if hint else "not measured"
            unknown.setdefault(reason, []).append(hint_id)
            continue
        known.setdefault((mark(hint_id, hint), hint.evidence, hint.caution), []).append(hint_id)
    for (sign, evidence, caution), hint_ids in known.items():
        text.append(f" {sign} ", style=MARK_STYLES[sign])
        text.append(evidence)  # each hint's evidence names what it is about
        if len(hint_ids) > 1:
            text.append(f" ({hint_names(hint_ids)})", style="dim")
        text.append("\n")
        if caution:
            text.append(f"   {caution}\n", style="yellow")
    for reason, hint_ids in unknown.items():
        text.append(f" ? {hint_names(hint_ids)}: {reason}\n", style="dim")
    text.append("Your rating is yours: the machine can mishear.", style="dim italic")
    return text


def checks_text(hint_ids: Iterable[str], hints: dict[str, Hint]) -> Group:
    """Each of the machine's checks once, in the rubric's order, as a mark and its evidence (which
    names what it is about), wrapped lines under the evidence: what the take's Results showed, for
    reading it again later (walked: the history showed a campaign step's ratings and measurements,
    but not whether it repeated an earlier message)."""
    grid = Table.grid(expand=True)
    grid.add_column(width=3, no_wrap=True)
    grid.add_column(ratio=1)
    for hint_id in dict.fromkeys(hint_ids):
        hint = hints.get(hint_id)
        if hint is None:
            continue
        sign = mark(hint_id, hint)
        said = Text(hint.evidence)
        if hint.caution:
            said.append(f"\n{hint.caution}", style="yellow")
        grid.add_row(Text(f" {sign} ", style=MARK_STYLES[sign]), said)
    return Group(Text("\nThe machine's checks", style="bold magenta"), grid)


def not_recorded_text(duration_s: float) -> Text:
    """A take practised without audio: its length is real, nothing else was heard."""
    text = Text(f"{'Length':<26}", style="bold")
    text.append(f"{duration_s:.1f} s\n\n")
    text.append("Practised without audio: nothing was recorded, so nothing is measured or judged. "
                "Rate the message as you remember saying it.", style="yellow")  # fmt: skip
    return text


# the pace counts the words as said: a phone number is eleven of them, written it is one (walked:
# "about 31" words beside "201 words a minute" over 12.3 s looked wrong)
PACE = "Pace (words as spoken)"

ROOM_WAS_LOUD = (
    "The room was loud (other voices or noise close to your level): timings may be off. Listen back."
)


COUNT_DOUBTED = "  ⚠ may be off: listen back"  # the word count hint's caution says why


def measurements_text(m: Measurements, analysis: TakeAnalysis | None = None, hearing: bool = False) -> Text:
    """The take's measurements, and its words if ``analysis`` has them (``hearing``: not yet)."""
    text = Text()
    unsure = "  ⚠ may be off (loud room)" if m.room is not None and m.room.too_loud else ""
    hesitated = "  (hesitation)" if m.lead_silence_s > 2 else ""
    rows = [
        ("Recorded", f"{m.duration_s:.1f} s"),  # the message, beep to last word, is judged on Results
        ("Silence before speaking", f"{m.lead_silence_s:.1f} s{unsure or hesitated}"),
        ("Speaking time", f"{m.speech_s:.1f} s{unsure}"),
        ("Silence at the end", f"{m.trail_silence_s:.1f} s{unsure}"),
        ("Pauses over 1.2 s", f"{m.pauses} (longest {m.longest_pause_s:.1f} s){unsure}"),
        ("Loudness", f"{m.rms_dbfs:.0f} dBFS, peak {m.peak_dbfs:.0f} dBFS"),
    ]
    if m.pitch_variation_st is not None:
        flat = "  (monotone: vary your pitch)" if m.monotone else ""
        rows.append(("Pitch variation", f"{m.pitch_variation_st:.1f} semitones{flat}"))
    if hearing:
        rows += [("Words (as written)", STILL_HEARING), (PACE, "…"), ("Fillers", "…")]
    elif analysis is not None and analysis.transcript is not None:
        counted = "" if analysis.words_sure else COUNT_DOUBTED  # the pace is the count over the time
        rows += [
            ("Words (as written)", f"about {analysis.words}{counted}"),
            (PACE, f"{analysis.wpm:.0f} words a minute{unsure or counted}" if analysis.wpm else "-"),
            ("Fillers", filler_summary(analysis.filler_counts)),
        ]
    for label, value in rows:
        text.append(f"{label:<26}", style="bold")
        text.append(f"{value}\n")
    if not m.has_speech:
        text.append("No speech was heard in this take.\n", style="bold red")
    if m.room is not None and m.room.too_loud:
        text.append(f"⚠ {ROOM_WAS_LOUD}\n", style="yellow")
    if m.too_quiet and m.has_speech:
        text.append("Too quiet: speak up or move closer to the microphone.\n", style="yellow")
    if m.clipping:
        text.append("Clipping: too loud for the microphone; move back a little.\n", style="yellow")
    if not hearing and words_lost(analysis):
        text.append(f"⚠ {WORDS_LOST}\n", style="yellow")
    if analysis is not None and analysis.transcript is not None:
        text.append("\nWhat the machine heard (it can mishear): ", style="bold")
        text.append(analysis.transcript.text or "(no words)", style="italic")
        if analysis.transcript.room:
            text.append("\nLeft out, heard while you were not speaking (the room?): ", style="dim")
            text.append(" ".join(w.text for w in analysis.transcript.room), style="dim italic")
    return text
