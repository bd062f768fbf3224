"""Small inline-SVG charts for the report: one horizontal bar per scenario with its 95 % interval.

Drawn by hand so the report needs no plotting library and prints crisply to PDF.
"""

from __future__ import annotations

from html import escape

__all__ = ["interval_bars"]

BAR, GAP, LEFT, RIGHT, TOP, BOTTOM = 22, 10, 150, 70, 8, 24
COLOURS = ("#8a8f98", "#1f5fa8", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if value <= step * 5:
            return step * 5
    return value


def interval_bars(title: str, rows: list[tuple[str, float, float, float]], fmt, width: int = 460) -> str:
    """An SVG: for each (label, mean, low, high) a bar to the mean and a whisker from low to high.

    Args:
        fmt: turns a value into the text shown at the end of the bar (e.g. "12.3 min").
    """
    top = _nice_max(max((max(m, h) for _, m, _, h in rows), default=1.0))
    plot = width - LEFT - RIGHT
    height = TOP + len(rows) * (BAR + GAP) + BOTTOM
    x = lambda v: LEFT + plot * max(v, 0) / top  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">']
    for i in range(6):
        gx = LEFT + plot * i / 5
        parts.append(f'<line x1="{gx:.1f}" y1="{TOP}" x2="{gx:.1f}" y2="{height - BOTTOM}" stroke="#e3e3e3"/>')
        parts.append(f'<text x="{gx:.1f}" y="{height - 8}" font-size="10" text-anchor="middle" fill="#555">'
                     f'{escape(fmt(top * i / 5, short=True))}</text>')
    for i, (name, mean, low, high) in enumerate(rows):
        y = TOP + i * (BAR + GAP)
        colour = COLOURS[i % len(COLOURS)]
        parts.append(f'<text x="{LEFT - 8}" y="{y + BAR * 0.68:.1f}" font-size="12" text-anchor="end">{escape(name)}</text>')
        parts.append(f'<rect x="{LEFT}" y="{y}" width="{x(mean) - LEFT:.1f}" height="{BAR}" fill="{colour}" '
                     f'fill-opacity="0.85"><title>{escape(name)}: {escape(fmt(mean))}</title></rect>')
        cy = y + BAR / 2
        parts.append(f'<path d="M{x(low):.1f},{cy} H{x(high):.1f} M{x(low):.1f},{cy - 6} V{cy + 6} '
                     f'M{x(high):.1f},{cy - 6} V{cy + 6}" stroke="#222" stroke-width="1.5" fill="none"/>')
        parts.append(f'<text x="{max(x(high), x(mean)) + 6:.1f}" y="{y + BAR * 0.68:.1f}" font-size="12">'
                     f'{escape(fmt(mean))}</text>')
    parts.append("</svg>")
    return "".join(parts)
