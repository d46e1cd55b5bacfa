"""The class report as one self-contained HTML file: tables and inline SVG charts, no network."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape as _escape_html
from statistics import fmean

from simulator.attempts import points
from simulator.names import terminal_safe
from simulator.report import ClassReport, counted, criterion_of, instructors_line, judged_by, target_window
from simulator.report_campaigns import campaign_rows
from simulator.scenario_loader import Library

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f"]

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 72rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #eee; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.guidance { color: #555; font-size: 0.85rem; }
.legend span { display: inline-block; margin-right: 1rem; font-size: 0.85rem; }
@media print { body { margin: 0; } h2 { break-after: avoid; } svg { break-inside: avoid; } }
"""


def _html(text: str) -> str:
    """HTML-escaped, with control characters shown as escapes: a name with an escape sequence in it
    shows what it holds rather than nothing (and NUL is not valid in the page at all)."""
    return _escape_html(terminal_safe(text, keep="\n"))


def _score(value: float | None) -> str:
    return "–" if value is None else str(points(value))


@dataclass(frozen=True)
class _Plot:
    """Where the scores chart draws: attempt ``n`` at :meth:`x`, a score at :meth:`y`."""

    width: int
    height: int
    attempts: int
    left: int = 36
    right: int = 14
    top: int = 10
    bottom: int = 34

    def x(self, n: int) -> float:
        plot_w = self.width - self.left - self.right
        return self.left + (n * plot_w / (self.attempts - 1) if self.attempts > 1 else plot_w / 2)

    def y(self, score: float) -> float:
        return self.top + (self.height - self.top - self.bottom) * (1 - score / 100)

    def axes(self) -> list[str]:
        parts = []
        for score in (0, 25, 50, 75, 100):
            y = self.y(score)
            parts.append(f'<line x1="{self.left}" y1="{y:.1f}" x2="{self.width - self.right}" y2="{y:.1f}" '
                         f'stroke="#ddd"/><text x="{self.left - 6}" y="{y + 4:.1f}" font-size="10" '
                         f'text-anchor="end">{score}</text>')  # fmt: skip
        base = self.y(0)
        for n in range(self.attempts):  # a tick and a number for every attempt
            x = self.x(n)
            parts.append(f'<line x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 4}" stroke="#888"/>'
                         f'<text class="tick" x="{x:.1f}" y="{base + 15}" font-size="10" '
                         f'text-anchor="middle">{n + 1}</text>')  # fmt: skip
        parts.append(f'<text x="{self.width / 2:.0f}" y="{self.height - 4}" font-size="10" '
                     "text-anchor=\"middle\">attempt (each trainee's own, in time order)</text>")  # fmt: skip
        return parts


def _marks(marks: list[tuple[float, float, float]], colour: str, name: str, instructor: bool) -> str:
    """One trainee's scores (x, y, score) by one rater: a line, dashed for the instructor, through
    dots (squares for the instructor)."""
    parts = []
    if len(marks) > 1:
        dash = ' stroke-dasharray="6 4"' if instructor else ""
        joined = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in marks)
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{joined}"/>')
    rater = "instructor" if instructor else "self"
    for x, y, score in marks:
        tip = f"<title>{_html(name)}, {rater}: {points(score)}</title>"
        if instructor:
            parts.append(f'<rect class="instructor" x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" '
                         f'fill="white" stroke="{colour}" stroke-width="2">{tip}</rect>')  # fmt: skip
        else:
            parts.append(f'<circle class="self" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
                         f"{tip}</circle>")  # fmt: skip
    return "".join(parts)


def scores_chart(report: ClassReport, width: int = 900, height: int = 260) -> str:
    """Each trainee's scores over their attempts: the self-score as a solid line with dots (a trainee
    with one attempt is a dot), the instructor's dashed with squares; it scales to the page's width."""
    trainees = [t for t in sorted(report.trainees.values(), key=lambda t: t.name.casefold())
                if t.self_scores or t.instructor_points]  # fmt: skip
    times = {t.name: sorted({at for at, _ in [*t.self_scores, *t.instructor_points]}) for t in trainees}
    plot = _Plot(width, height, max((len(v) for v in times.values()), default=1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="Scores over time per trainee">',
        *plot.axes(),
    ]
    for i, line in enumerate(trainees):
        colour = COLOURS[i % len(COLOURS)]
        index = {at: n for n, at in enumerate(times[line.name])}
        for scores, instructor in ((line.self_scores, False), (line.instructor_points, True)):
            points = [(plot.x(index[at]), plot.y(score), score) for at, score in sorted(scores)]
            parts.append(_marks(points, colour, line.name, instructor))
    parts.append("</svg>")
    legend = "".join(
        f'<span style="color:{COLOURS[i % len(COLOURS)]}">■ {_html(t.name)}</span>'
        for i, t in enumerate(trainees)
    )
    # a line needs two attempts: one score each is only a dot and a square (walked: a key that
    # said "dashed" beside no dashed line)
    key = (
        "<span>● self-score</span><span>□ instructor</span>"
        "<span>lines join a trainee's attempts: solid for self, dashed for the instructor</span>"
    )
    return "".join(parts) + f'<div class="legend">{legend}{key}</div>'


def criteria_chart(report: ClassReport, library: Library | None, width: int = 900) -> str:
    """How often the class meets each criterion, as horizontal bars."""
    rated = [c for c in report.criteria.values() if c.rated]
    rows = sorted(rated, key=lambda c: (c.met_share, c.scenario_id, c.criterion_id))  # most missed first
    bar_h, label_w = 18, 300
    height = bar_h * len(rows) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="Criteria met">'
    ]
    for i, line in enumerate(rows):
        criterion = criterion_of(library, line)
        label = f"{line.scenario_id}: {criterion.label if criterion else line.criterion_id}"
        y = i * bar_h + 4
        bar = (width - label_w - 50) * line.met_share
        colour = "#2ca02c" if line.met_share >= 0.7 else "#ff7f0e" if line.met_share >= 0.4 else "#d62728"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 12}" font-size="11" text-anchor="end">'
            f"{_html(label[:48])}</text>"
        )
        parts.append(f'<rect x="{label_w}" y="{y}" width="{bar:.1f}" height="{bar_h - 5}" fill="{colour}"/>')
        parts.append(
            f'<text x="{label_w + bar + 4:.1f}" y="{y + 12}" font-size="11">{line.met_share:.0%}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def self_against_instructor(report: ClassReport, library: Library | None) -> str:
    """Per criterion, how far self-ratings sit above (+) or below the instructor's, on the same takes."""
    gaps = sorted((c for c in report.criteria.values() if c.self_minus_instructor),
                  key=lambda c: -abs(fmean(c.self_minus_instructor)))  # fmt: skip
    if not gaps:
        return ""
    rows = []
    for line in gaps:
        criterion = criterion_of(library, line)
        label = _html(criterion.label if criterion else line.criterion_id)
        gap = fmean(line.self_minus_instructor)
        rows.append(f"<tr><td>{label}</td><td>{_html(line.scenario_id)}</td><td class=n>{gap:+.2f}</td>"
                    f"<td class=n>{len(line.self_minus_instructor)}</td></tr>")  # fmt: skip
    return (
        '<h2 id="self-against-instructor">Self against instructor, by criterion</h2>'
        "<p class=guidance>+ means trainees rate themselves higher than the instructor does "
        "(in fractions of the criterion's scale).</p><table><tr><th>Criterion</th><th>Scenario</th>"
        "<th>Self − instructor</th><th>Takes</th></tr>" + "".join(rows) + "</table>"
    )


def campaign_table(report: ClassReport, library: Library | None) -> str:
    """Per trainee and campaign: steps done, the counted take's self-score per step, repeated messages."""
    if not report.campaigns:
        return ""
    rows = "".join(
        f"<tr><td>{_html(trainee)}</td><td>{_html(campaign)}</td><td class=n>{steps}</td>"
        f"<td>{_html(averages)}</td><td class=n>{repeats}</td></tr>"
        for trainee, campaign, steps, averages, repeats in campaign_rows(
            report.campaigns, library.scenarios if library else None
        )
    )
    return (
        '<h2 id="campaigns">Campaigns</h2><p class=guidance>How far each trainee is through each campaign '
        "(steps done), the self-score of the take that counts at each step (the latest, unless the trainee "
        "picked another), and how many messages repeated the one before "
        "(the machine's repetition check, of the messages it could compare).</p><table><tr><th>Trainee</th>"
        "<th>Campaign</th>"
        f"<th>Steps done</th><th>Self-score per step</th><th>Repeated</th></tr>{rows}</table>"
    )


def render_html(report: ClassReport, library: Library | None = None) -> str:
    body = [
        f"<h1>Voicemail Simulator: class report</h1><p>{counted(report.attempts, 'attempt')}, "
        f"{_html(report.first[:10])} to {_html(report.last[:10])}.</p>"
    ]
    if report.instructors:
        body.append(f"<p class=instructors>{_html(instructors_line(report))}.</p>")
    body.append("<h2>Scores over time</h2>" + scores_chart(report))
    body.append(
        "<h2>Trainees</h2><table><tr><th>Trainee</th><th>Attempts</th><th>Best self-score</th>"
        "<th>Latest self-score</th><th>Instructor (average)</th>"
        "<th>Self − instructor (same takes, average)</th></tr>"
    )
    for line in sorted(report.trainees.values(), key=lambda t: t.name.casefold()):
        instructor = fmean(line.instructor_scores) if line.instructor_scores else None
        gap = f"{fmean(line.gaps):+.0f}" if line.gaps else "–"
        body.append(
            f"<tr><td>{_html(line.name)}</td><td class=n>{line.attempts}</td>"
            f"<td class=n>{_score(line.best)}</td><td class=n>{_score(line.latest)}</td>"
            f"<td class=n>{_score(instructor)}</td><td class=n>{gap}</td></tr>"
        )
    body.append(
        "</table><h2>Scenarios</h2><table><tr><th>Scenario</th><th>Attempts</th><th>Average self-score</th>"
        "<th>Average length</th><th>Target</th></tr>"
    )
    for line in sorted(report.scenarios.values(), key=lambda s: s.scenario_id):
        window = _html(target_window(library, line.scenario_id))
        average = fmean(line.scores) if line.scores else None
        body.append(
            f"<tr><td>{_html(line.title)}</td><td class=n>{line.attempts}</td>"
            f"<td class=n>{_score(average)}</td><td class=n>{fmean(line.lengths):.1f} s</td>"
            f"<td>{window}</td></tr>"
        )
    body.append(
        "</table><h2>Criteria met</h2><p class=guidance>By the instructor's ratings where given, else the "
        "trainee's; the most missed first.</p>" + criteria_chart(report, library)
    )
    body.append("<h2>What the class misses most</h2><ul>")
    for line in report.most_missed():
        criterion = criterion_of(library, line)
        label = _html(criterion.label if criterion else line.criterion_id)
        guidance = f'<div class="guidance">{_html(criterion.cited_advice)}</div>' if criterion else ""
        body.append(
            f"<li><b>{label}</b> ({_html(line.scenario_id)}): met in {line.met} of {line.rated} "
            f"({_html(judged_by(line))}){guidance}</li>"
        )
    body.append("</ul>")
    body.append(campaign_table(report, library))
    body.append(self_against_instructor(report, library))
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Class report</title>'
        f"<style>{STYLE}</style></head><body>{''.join(body)}</body></html>"
    )
