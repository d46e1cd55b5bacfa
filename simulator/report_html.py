"""The class report as one self-contained HTML file: tables and inline SVG charts, no network."""

from __future__ import annotations

from html import escape as _escape_html
from statistics import fmean

from simulator.names import terminal_safe
from simulator.report import ClassReport, criterion_of, target_window
from simulator.scenario_loader import Library

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f"]

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 60rem; }
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
    return "–" if value is None else f"{value:.0f}"


def scores_chart(report: ClassReport, width: int = 640, height: int = 240) -> str:
    """Self-scores over each trainee's attempts, one line per trainee."""
    lines = [t for t in sorted(report.trainees.values(), key=lambda t: t.name.casefold()) if t.trend]
    longest = max((len(t.trend) for t in lines), default=1)
    left, bottom, top = 36, 24, 10
    plot_w, plot_h = width - left - 10, height - bottom - top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="Scores over time per trainee">'
    ]
    for score in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - score / 100)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{score}</text>')
    parts.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 4}" font-size="10" text-anchor="middle">'
        f"attempt</text>"
    )
    for i, line in enumerate(lines):
        colour = COLOURS[i % len(COLOURS)]
        step = plot_w / max(1, longest - 1)
        points = " ".join(
            f"{left + n * step:.1f},{top + plot_h * (1 - s / 100):.1f}" for n, s in enumerate(line.trend)
        )
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}">'
            f"<title>{_html(line.name)}</title></polyline>"
        )
    parts.append("</svg>")
    legend = "".join(
        f'<span style="color:{COLOURS[i % len(COLOURS)]}">■ {_html(t.name)}</span>'
        for i, t in enumerate(lines)
    )
    return "".join(parts) + f'<div class="legend">{legend}</div>'


def criteria_chart(report: ClassReport, library: Library | None, width: int = 640) -> str:
    """How often the class meets each criterion, as horizontal bars."""
    rated = [c for c in report.criteria.values() if c.rated]
    rows = sorted(rated, key=lambda c: (c.met_share, c.scenario_id, c.criterion_id))  # most missed first
    bar_h, label_w = 18, 300
    height = bar_h * len(rows) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
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


def render_html(report: ClassReport, library: Library | None = None) -> str:
    body = [
        f"<h1>Voicemail Simulator: class report</h1><p>{report.attempts} attempts, "
        f"{_html(report.first[:10])} to {_html(report.last[:10])}.</p>"
    ]
    body.append("<h2>Scores over time</h2>" + scores_chart(report))
    body.append(
        "<h2>Trainees</h2><table><tr><th>Trainee</th><th>Attempts</th><th>Best</th><th>Latest</th>"
        "<th>Instructor (avg)</th><th>Self − instructor</th></tr>"
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
        "</table><h2>Scenarios</h2><table><tr><th>Scenario</th><th>Attempts</th><th>Average score</th>"
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
    body.append("</table><h2>Criteria met</h2>" + criteria_chart(report, library))
    body.append("<h2>What the class misses most</h2><ul>")
    for line in report.most_missed():
        criterion = criterion_of(library, line)
        label = _html(criterion.label if criterion else line.criterion_id)
        guidance = f'<div class="guidance">{_html(criterion.cited_advice)}</div>' if criterion else ""
        body.append(
            f"<li><b>{label}</b> ({_html(line.scenario_id)}): met in {line.met} of {line.rated}"
            f"{guidance}</li>"
        )
    body.append("</ul>")
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Class report</title>'
        f"<style>{STYLE}</style></head><body>{''.join(body)}</body></html>"
    )
