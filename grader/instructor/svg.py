"""Tiny inline SVG charts for the HTML report: no scripts, no fonts, no external resources."""

from __future__ import annotations

from html import escape
from typing import Optional


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def hbar_chart(rows: list[tuple[str, Optional[float]]], *, title: str, maximum: float = 100.0,
               unit: str = "%", width: int = 560) -> str:
    """Horizontal bars, one per (label, value); a missing value is drawn as 'n/a'."""
    label_w, bar_h, gap = 170, 18, 6
    height = len(rows) * (bar_h + gap) + 30
    plot_w = width - label_w - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(rows):
        y = 20 + i * (bar_h + gap)
        parts.append(f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end" class="lbl">{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{bar_h}" class="track"/>')
        if value is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + 13}" class="val">n/a</text>')
            continue
        w = max(0.0, min(1.0, value / maximum if maximum else 0.0)) * plot_w
        cls = "bar neg" if value < 0 else "bar"
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" class="{cls}"/>')
        parts.append(f'<text x="{label_w + plot_w + 6}" y="{y + 13}" class="val">{_fmt(value)}{unit}</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram(bins: list[dict], *, title: str, width: int = 560, height: int = 200) -> str:
    """Vertical bars over [from, to) bins with counts; x axis labelled in %."""
    left, bottom, top = 30, 30, 20
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = max((b["count"] for b in bins), default=0) or 1
    bar_w = plot_w / max(1, len(bins))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(title)}</title>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" class="axis"/>']
    for i, b in enumerate(bins):
        h = plot_h * b["count"] / peak
        x = left + i * bar_w
        parts.append(f'<rect x="{x + 2:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 4:.1f}" '
                     f'height="{h:.1f}" class="bar"><title>{_fmt(b["from"])}–{_fmt(b["to"])}%: '
                     f'{b["count"]}</title></rect>')
        if b["count"]:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h - h - 4:.1f}" '
                         f'text-anchor="middle" class="val">{b["count"]}</text>')
        parts.append(f'<text x="{x:.1f}" y="{height - 12}" class="lbl">{_fmt(b["from"])}</text>')
    parts.append(f'<text x="{left + plot_w}" y="{height - 12}" text-anchor="end" class="lbl">100%</text>')
    parts.append("</svg>")
    return "".join(parts)
