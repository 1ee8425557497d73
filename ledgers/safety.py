"""Checks an uploaded workbook must pass before any XML in it is parsed.

An .xlsx is a zip of XML parts. A few kilobytes can unpack to gigabytes (a zip bomb), and XML can carry
entity expansions ("billion laughs") or external entities. So: the file's size is capped; the zip's
central directory (which lists every entry's compressed and uncompressed size without unpacking anything)
is inspected for the total uncompressed size, the ratio and the number of entries; and openpyxl parses
through defusedxml, which refuses entity declarations.
"""

import zipfile
from dataclasses import dataclass

import openpyxl.xml
from django.conf import settings

from minsheng.errors import DomainError

from .errors import LedgersErrorCode

REQUIRED_PARTS = {"[Content_Types].xml"}


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int
    max_uncompressed_bytes: int
    max_ratio: int
    max_entries: int


def limits() -> Limits:
    """The limits, overridable in settings (LEDGER_MAX_FILE_BYTES, ...)."""
    return Limits(
        max_file_bytes=getattr(settings, "LEDGER_MAX_FILE_BYTES", 30 * 1024 * 1024),
        max_uncompressed_bytes=getattr(settings, "LEDGER_MAX_UNCOMPRESSED_BYTES", 300 * 1024 * 1024),
        max_ratio=getattr(settings, "LEDGER_MAX_COMPRESSION_RATIO", 100),
        max_entries=getattr(settings, "LEDGER_MAX_ZIP_ENTRIES", 1000),
    )


def check_workbook(fileobj, *, size: int | None = None) -> None:
    """Refuse a file that is too large, not an .xlsx, or that would unpack into too much data."""
    if not openpyxl.xml.DEFUSEDXML:  # the hardening is a dependency; never parse without it
        raise DomainError(
            "服务器未启用安全的XML解析（缺少defusedxml），拒绝解析上传的文件。",
            code=LedgersErrorCode.UNSAFE_XML,
        )
    lim = limits()
    if size is None:
        fileobj.seek(0, 2)
        size = fileobj.tell()
    fileobj.seek(0)
    if size > lim.max_file_bytes:
        raise DomainError(
            f"文件过大（{size / 1024 / 1024:.1f} MB），上限为 {lim.max_file_bytes // 1024 // 1024} MB。",
            code=LedgersErrorCode.FILE_TOO_LARGE,
        )
    try:
        with zipfile.ZipFile(fileobj) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DomainError(
            "无法读取该文件：请上传Excel 2007及以上格式（.xlsx）的台账。.xls 请先另存为 .xlsx。",
            code=LedgersErrorCode.NOT_XLSX,
        ) from None
    finally:
        fileobj.seek(0)
    if len(entries) > lim.max_entries:
        raise DomainError(
            f"文件结构异常（包含{len(entries)}个部件），拒绝解析。", code=LedgersErrorCode.ZIP_BOMB
        )
    if not {entry.filename for entry in entries} >= REQUIRED_PARTS:
        raise DomainError("该文件不是有效的Excel（.xlsx）工作簿。", code=LedgersErrorCode.NOT_XLSX)
    total = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries)
    if total > lim.max_uncompressed_bytes:
        raise DomainError(
            f"文件解压后过大（{total / 1024 / 1024:.0f} MB），上限为 "
            f"{lim.max_uncompressed_bytes // 1024 // 1024} MB，拒绝解析。",
            code=LedgersErrorCode.ZIP_BOMB,
        )
    for entry in entries:
        # Real sheets compress 5-20x; hundreds of times means padding crafted to expand.
        if entry.file_size > 1024 * 1024 and entry.file_size > lim.max_ratio * max(entry.compress_size, 1):
            raise DomainError(
                f"文件中“{entry.filename}”的压缩比异常"
                f"（{entry.file_size // max(entry.compress_size, 1)}倍），"
                "疑似压缩炸弹，拒绝解析。",
                code=LedgersErrorCode.ZIP_BOMB,
            )
    if total > lim.max_ratio * max(compressed, 1) and total > 1024 * 1024:
        raise DomainError("文件压缩比异常，疑似压缩炸弹，拒绝解析。", code=LedgersErrorCode.ZIP_BOMB)
