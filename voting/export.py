"""Results of one or more votes as an Excel workbook (one sheet per vote), for the admin's export."""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from minsheng.spreadsheets import neutralise

from .results import vote_result

HEADERS = ["排名", "序号", "备选项目", "领域类别", "得票数", "得票率"]


def results_workbook(votes) -> bytes:
    """An .xlsx with each vote's tallies (rank, option, votes, share of ballots) counted now."""
    book = Workbook()
    book.remove(book.active)
    for vote in votes:
        result = vote_result(vote)
        sheet = book.create_sheet(
            title=f"{vote.pk}-{vote.title}"[:31].translate(str.maketrans("[]:*?/\\", "（）：＊？／＼"))
        )
        sheet.append([neutralise(vote.title)])
        sheet["A1"].font = Font(bold=True, size=14)
        opens, closes = timezone.localtime(vote.opens_at), timezone.localtime(vote.closes_at)
        now = timezone.localtime()
        sheet.append(
            [
                f"{vote.region.name} · {vote.year}年度 · 投票时间 {opens:%Y-%m-%d %H:%M}"
                f" 至 {closes:%Y-%m-%d %H:%M} · 状态：{vote.phase_label}"
            ]
        )
        sheet.append(
            [
                f"有效选票 {result.ballots} 张；每票最多可选 {vote.max_choices} 项；"
                f"导出时间 {now:%Y-%m-%d %H:%M}"
            ]
        )
        sheet.append([])
        sheet.append(HEADERS)
        for cell in sheet[5]:
            cell.font = Font(bold=True)
        for row in result.options:
            candidate = row.option.candidate
            sheet.append(
                [
                    row.rank,
                    row.option.sequence,
                    neutralise(candidate.title),
                    candidate.get_category_display(),
                    row.votes,
                    row.share,
                ]
            )
            sheet.cell(row=sheet.max_row, column=6).number_format = "0.0%"
        for column, width in zip("ABCDEF", (8, 8, 48, 14, 10, 10), strict=True):
            sheet.column_dimensions[column].width = width
        for cell in sheet["C"]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if not book.sheetnames:
        book.create_sheet("无数据")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
