"""What the campaign screens show, as Rich text built from the domain's records (no widgets here)."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from simulator.attempts import points
from simulator.campaign_inbox import InboxMessage
from simulator.campaign_progress import CampaignProgress, StepProgress, cadence, one_thing_to_change
from simulator.campaigns import when
from simulator.scenarios import as_advice
from simulator.tui.text import bulleted, shorten


def campaign_prompt(record: CampaignProgress) -> Text:
    """A campaign in the start screen's list, with how far the trainee is through it."""
    campaign = record.campaign
    text = Text(f"Campaign: {campaign.title}", style="bold")
    played = record.last_played
    last = f" · last played {played:%d %b}" if played else ""
    text.append(
        f"\n  {len(campaign.steps)} messages · {campaign.prospect.name} · {record.label()}{last}", style="dim"
    )
    return text


def campaign_preview(record: CampaignProgress) -> Text:
    campaign = record.campaign
    text = Text(f"Campaign: {campaign.title}\n", style="bold")
    prospect = campaign.prospect
    text.append(f"{len(campaign.steps)} messages to {prospect.name}, {prospect.role}, {prospect.company}\n\n")
    text.append(as_advice(campaign.summary) + "\n\n")
    for step in record.steps:
        mark = "✓" if step.done else ("→" if step.step.number == record.next_step else " ")
        text.append(f"{mark} {step.step.number}. {step.step.when}  {step.step.title}\n")
    text.append("\nEnter opens the campaign: its timeline, inbox and summary.", style="dim")
    return text


def status_of(step: StepProgress, next_step: int | None) -> Text:
    if step.done:
        return Text("✓ done", style="green")
    if step.step.number == next_step:
        return Text("→ next", style="bold yellow")
    return Text("later", style="dim")


def length_of(step: StepProgress) -> str:
    if step.counted is None:
        return "-"
    seconds = round(step.counted.message_s)
    return f"{seconds // 60}:{seconds % 60:02d}"


def step_detail(step: StepProgress) -> Text:
    """The highlighted step: what is new at it, and its takes (which one counts)."""
    text = Text(f"Step {step.step.number}: {step.step.title}\n", style="bold")
    text.append(f"New since your last message: {as_advice(step.step.new)}\n")
    if not step.takes:
        text.append("No take yet: Enter plays this step.", style="dim")
        return text
    for number, take in enumerate(step.takes, start=1):
        score = take.self_score
        counts = "  ← counts" if take is step.counted else ""
        shown = str(points(score)) if score is not None else "not assessed"
        text.append(f"  take {number}: {take.started_at:%a %d %b %H:%M} · {shown}{counts}\n")
    if len(step.takes) > 1:
        text.append("t picks another take to count.", style="dim")
    return text


def inbox_row(message: InboxMessage, width: int) -> tuple[str, str, Text]:
    """(when, length, first words) as the prospect's phone lists a voicemail, the words cut to
    ``width`` with "…" (walked: "…Safeguard Backup yo", cut mid-word by the column)."""
    if not message.left:
        return (message.step.when, "", Text("(no message left yet)", style="dim"))
    seconds = round(message.length_s or 0)
    words = message.first_words or "(no words heard: listen to it)"
    return (message.step.when, f"{seconds // 60}:{seconds % 60:02d}", Text(shorten(words, width)))


def summary_text(record: CampaignProgress) -> Group:
    """Per step score and timing, what repeated between messages, the cadence, and one change;
    wrapped lines keep their indent (walked: they ran back to column 0 at 80 and 120 columns)."""
    head = Text(f"{record.campaign.title}: {record.done} of {len(record.steps)} steps done\n", style="bold")
    steps = []
    for step in record.steps:
        score = step.score
        shown = str(points(score)) if score is not None else "-"
        timing = f"self {shown:>3} · {length_of(step):>4}"
        steps.append(f"{step.step.number}. {step.step.when:<17} {timing}  {step.step.title}")
    repeats = []
    for number, found in record.repetitions():
        said = "; ".join(f"\u201c{p}\u201d" for p in found.phrases[:2]) or "no phrase of three words or more"
        repeats.append(f"message {number}: {found.shown()} · {said}")
    if not repeats:
        repeats.append(Text("Nothing to compare yet: two heard messages are needed.", style="dim"))
    days = Text("\nDays between messages", style="bold magenta")
    # the days are the campaign author's, not the trainee's: said so, or "(sooner)" reads as blame
    days.append(
        " as this campaign plans them (a sales consultant waits a week to ten days, then five to seven)",
        style="dim",
    )
    return Group(
        head,
        bulleted(steps, mark=""),
        Text("\nRepeated between messages", style="bold magenta"),
        bulleted(repeats, mark=""),
        days,
        bulleted([", ".join(g.shown() for g in cadence(record.campaign))], mark=""),
        Text("\nThe one thing to change next time", style="bold magenta"),
        bulleted([one_thing_to_change(record)], mark=""),
    )


def next_step_line(record: CampaignProgress) -> str:
    if record.next_step is None:
        return "Every message is left: s for the summary, i for the inbox."
    step = record.campaign.step(record.next_step)
    return f"Next: step {step.number}, {when(step.at)}. Enter plays the highlighted step."
