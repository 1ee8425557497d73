"""A bulletin as a Word document (.docx, python-docx), for offices that finish their documents in WPS or Word.

The anatomy is the PDF's: masthead (name, 第N期 and 总第M期, issuing office and date), title, the opening with
the overall figures, a table of each project's completion against 序时进度 (the PDF's chart), one section
per project with its heading as a Word heading of its own, the problems with their numbered points, the
next steps, and the distribution footer. Headings use Word's heading styles, so the navigation pane and a
table of contents generated in Word find them.
"""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .charts import LABELS
from .generator import overall_sentences
from .render import context

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
RED = RGBColor(0xCC, 0x00, 0x00)
BLACK = RGBColor(0, 0, 0)


def _font(target, name: str, size: float | None = None, *, bold: bool | None = None, color=None) -> None:
    """Set a style's or run's font, East Asian name included (python-docx sets only the Latin one)."""
    target.font.name = name
    target.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size is not None:
        target.font.size = Pt(size)
    if bold is not None:
        target.font.bold = bold
    if color is not None:
        target.font.color.rgb = color


def _paragraph(doc, text: str = "", *, align=None, indent: bool = True, size=None, bold=None, color=None):
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)
    if text:
        run = paragraph.add_run(text)
        _font(run, BODY_FONT, size, bold=bold, color=color)
    return paragraph


def _rule(paragraph, color: str = "CC0000", size: int = 18) -> None:
    """A line under the paragraph (the red line under the masthead)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"), ("w:color", color)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _no_borders(table) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _cell(cell, text: str, *, bold: bool = False, align=None) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), BODY_FONT, 11, bold=bold)


def _styles(doc) -> None:
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    _font(normal, BODY_FONT, 16)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    for name, size in (("Title", 22), ("Heading 1", 22), ("Heading 2", 16)):
        style = doc.styles[name]
        _font(style, TITLE_FONT if name != "Heading 2" else HEADING_FONT, size, bold=False, color=BLACK)
        style.paragraph_format.space_before = Pt(6)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True


def _masthead(doc, bulletin) -> None:
    _paragraph(
        doc, bulletin.name, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, size=30, bold=True, color=RED
    )
    if bulletin.issue_number:
        _paragraph(doc, f"第{bulletin.issue_number}期", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        _paragraph(doc, f"（总第{bulletin.total_number}期）", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    else:
        _paragraph(doc, "第＿期（草稿）", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    day = bulletin.issued_on
    _cell(table.cell(0, 0), bulletin.office)
    _cell(
        table.cell(0, 1),
        f"{day.year}年{day.month}月{day.day}日" if day else "年　月　日",
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    _rule(_paragraph(doc, indent=False))


def _progress_table(doc, bulletin) -> None:
    rows = (bulletin.figures or {}).get("projects") or []
    if not rows:
        return
    caption = _paragraph(
        doc, "重点民生事项进展情况", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, bold=True
    )
    caption.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=5)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, ("序号", "项目", "完成率", "序时进度", "状态"), strict=True):
        _cell(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for number, row in enumerate(rows, start=1):
        state = LABELS.get(row.get("light"), "未评价")
        if row.get("reported") is False:
            state += "，未报"
        values = (
            str(number),
            row["title"],
            row.get("completion_text") or "—",
            row.get("expected_text") or "—",
            state,
        )
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            _cell(cell, text, align=None if i == 1 else WD_ALIGN_PARAGRAPH.CENTER)


def _section(doc, section) -> None:
    doc.add_heading(section.heading, level=2)
    for lead, text in section.blocks:
        paragraph = _paragraph(doc)
        if lead:
            _font(paragraph.add_run(lead), BODY_FONT, bold=True)
        _font(paragraph.add_run(text), BODY_FONT)


def _footer(doc, bulletin) -> None:
    first = True
    for label, text in (("报", bulletin.report_to), ("发", bulletin.distribute_to)):
        if not text:
            continue
        paragraph = _paragraph(doc, indent=False, size=14)
        if first:
            paragraph.paragraph_format.space_before = Pt(24)
            first = False
        _font(paragraph.add_run(f"{label}："), BODY_FONT, 14, bold=True)
        _font(paragraph.add_run(text), BODY_FONT, 14)
    signoff = "　".join(
        f"{label}：{value}"
        for label, value in (
            ("签发", bulletin.signer),
            ("审核", bulletin.reviewer),
            ("编辑", bulletin.editor),
            ("电话", bulletin.phone),
        )
        if value
    )
    if signoff:
        _rule(_paragraph(doc, signoff, indent=False, size=14), color="000000", size=8)


def render_docx(bulletin, sections) -> bytes:
    """The bulletin as a .docx file's bytes."""
    parts = context(bulletin, sections)
    doc = Document()
    _styles(doc)
    doc.core_properties.title = bulletin.title
    doc.core_properties.author = bulletin.office
    _masthead(doc, bulletin)
    title = doc.add_heading(bulletin.title, level=1)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for section in parts["intro"]:
        for paragraph in section.paragraphs:
            _paragraph(doc, paragraph)
    _paragraph(doc, "".join(overall_sentences(bulletin)))
    _progress_table(doc, bulletin)
    for section in parts["body_sections"]:
        _section(doc, section)
    _footer(doc, bulletin)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
