"""The security audit log as CSV or Excel, streamed in chunks; cells that would run as formulas are
written as text (a username tried at the login can be "=HYPERLINK(...)")."""

import csv
import io
import json
from collections.abc import Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ledgers.exporting import FORMULA_STARTS, neutralise
from minsheng.security_events import EventKind, Result

CHUNK = 2000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = [
    ("seq", "序号"),
    ("at", "时间"),
    ("kind", "事件类型"),
    ("result", "结果"),
    ("username", "用户名"),
    ("role", "角色"),
    ("ip", "IP地址"),
    ("user_agent", "浏览器标识"),
    ("method", "请求方法"),
    ("path", "请求路径"),
    ("target", "操作对象"),
    ("detail", "详情"),
    ("algorithm", "摘要算法"),
    ("prev_hash", "上一条摘要"),
    ("hash", "摘要"),
]
KINDS = dict(EventKind.choices)
RESULTS = dict(Result.choices)


def _values(row: dict) -> list:
    return [
        row["seq"],
        timezone.localtime(row["at"]).strftime("%Y-%m-%d %H:%M:%S"),
        KINDS.get(row["kind"], row["kind"]),
        RESULTS.get(row["result"], row["result"]),
        *(row[name] for name in ("username", "role", "ip", "user_agent", "method", "path", "target")),
        json.dumps(row["detail"], ensure_ascii=False, sort_keys=True) if row["detail"] else "",
        *(row[name] for name in ("algorithm", "prev_hash", "hash")),
    ]


def _rows(queryset) -> Iterator[list]:
    fields = [name for name, _label in COLUMNS]
    for row in queryset.values(*fields).iterator(chunk_size=CHUNK):
        yield _values(row)


class _Echo:
    def write(self, value):
        return value


def csv_response(queryset, filename: str) -> StreamingHttpResponse:
    """UTF-8 with a byte-order mark (Excel opens it as Chinese), one row per record, streamed."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([label for _name, label in COLUMNS])
        for values in _rows(queryset):
            yield writer.writerow([neutralise(value) for value in values])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def xlsx_response(queryset, filename: str) -> HttpResponse:
    """A write-only workbook (rows are not kept in memory as cells), text cells never formulas."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("安全审计日志")
    sheet.append([label for _name, label in COLUMNS])
    for values in _rows(queryset):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
