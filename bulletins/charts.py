"""Charts drawn on the server as inline SVG (no JavaScript): WeasyPrint renders them as vector graphics."""

from decimal import Decimal
from xml.sax.saxutils import escape

from .wording import rate_text

COLORS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828", "none": "#9e9e9e"}
LABELS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "none": "未评价"}
FONT = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif"
MAX_BARS = 40


def _svg(width: int, height: int, font_size: int, caption: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="{font_size}" role="img">',
        caption,
    ]


def _short(title: str, length: int = 14) -> str:
    return title if len(title) <= length else title[: length - 1] + "…"


def completion_chart(figures: dict) -> str:
    """Horizontal bars: each project's completion against its 序时进度 (a tick), coloured by light.

    Beyond MAX_BARS projects the bars would be unreadable on A4; the chart then shows the light counts.
    """
    rows = figures.get("projects") or []
    if not rows:
        return ""
    if len(rows) > MAX_BARS:
        return lights_chart(figures)
    width, label_w, bar_w, row_h, top = 640, 190, 380, 22, 26
    height = top + row_h * len(rows) + 24
    parts = _svg(width, height, 11, f'<text x="{label_w}" y="14" fill="#333">完成率（竖线为序时进度）</text>')
    for i, row in enumerate(rows):
        y = top + i * row_h
        completion = Decimal(row["completion"]) if row["completion"] is not None else None
        bar = min(completion, Decimal(1)) if completion is not None else Decimal(0)
        length = float(bar) * bar_w
        color = COLORS.get(row["light"], COLORS["none"])
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" fill="#222">'
            f"{escape(_short(row['title']))}</text>"
        )
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{bar_w}" height="14" fill="#eeeeee"/>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="14" fill="{color}"/>')
        if row["expected"] is not None:
            x = label_w + float(min(Decimal(row["expected"]), Decimal(1))) * bar_w
            parts.append(
                f'<line x1="{x:.1f}" y1="{y + 1}" x2="{x:.1f}" y2="{y + 21}" '
                'stroke="#000" stroke-width="1.5"/>'
            )
        # The text the bulletin prints for this figure (one rounding per bulletin); older snapshots lack it.
        shown = row.get("completion_text") or rate_text(completion)
        if row.get("reported") is False:
            shown += " 未报"
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 14}" fill="#222">{escape(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def lights_chart(figures: dict) -> str:
    """Bars of the number of projects per light."""
    lights = figures.get("lights") or {}
    total = sum(lights.values())
    if not total:
        return ""
    width, label_w, bar_w, row_h, top = 640, 90, 440, 26, 26
    height = top + row_h * len(LABELS) + 10
    parts = _svg(
        width, height, 12, f'<text x="{label_w}" y="14" fill="#333">项目灯号分布（共{total}个）</text>'
    )
    for i, (key, label) in enumerate(LABELS.items()):
        y = top + i * row_h
        count = lights.get(key, 0)
        length = bar_w * count / total
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{label}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="16" fill="{COLORS[key]}"/>'
        )
        parts.append(f'<text x="{label_w + length + 6:.1f}" y="{y + 15}">{count}个</text>')
    parts.append("</svg>")
    return "".join(parts)
