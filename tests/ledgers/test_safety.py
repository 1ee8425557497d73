"""Uploads are checked before any XML is parsed: size, zip bombs, hardened XML."""

import io
import tracemalloc
import zipfile

import openpyxl.xml
import pytest

from ledgers import safety
from ledgers.services import import_ledger
from minsheng.errors import DomainError
from tests.fixtures.ledgers import build_workbook

pytestmark = pytest.mark.django_db


def bomb(megabytes: int) -> bytes:
    """A zip that looks like a workbook and unpacks to `megabytes` MB of one repeated byte."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            chunk = b"0" * (1024 * 1024)
            for _ in range(megabytes):
                entry.write(chunk)
    return buffer.getvalue()


def test_a_bomb_is_refused_from_its_directory_quickly_with_bounded_memory():
    content = bomb(60)
    assert len(content) < 200 * 1024  # 60 MB squeezed into a few dozen KB
    tracemalloc.start()
    with pytest.raises(DomainError) as refused:
        safety.check_workbook(io.BytesIO(content))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert refused.value.code == "zip_bomb"
    assert peak < 2 * 1024 * 1024  # nothing was unpacked


def test_the_total_uncompressed_size_is_capped(settings):
    settings.LEDGER_MAX_UNCOMPRESSED_BYTES = 4 * 1024 * 1024
    settings.LEDGER_MAX_COMPRESSION_RATIO = 10**6
    with pytest.raises(DomainError, match="解压后过大"):
        safety.check_workbook(io.BytesIO(bomb(5)))


def test_file_size_limit_and_non_xlsx_files(settings):
    settings.LEDGER_MAX_FILE_BYTES = 1000
    with pytest.raises(DomainError, match="文件过大"):
        safety.check_workbook(io.BytesIO(b"x" * 2000))
    settings.LEDGER_MAX_FILE_BYTES = 10**6
    with pytest.raises(DomainError, match="xlsx"):
        safety.check_workbook(io.BytesIO(b"not a zip at all"))


def test_the_import_reports_a_bomb_as_an_error(org):
    report = import_ledger(io.BytesIO(bomb(30)), "projects", actor=org.staff, year=2016)
    assert not report.ok
    assert "压缩" in report.problems[0].message


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML


def test_entity_expansion_in_a_sheet_is_refused_not_expanded(org, ledger_project):
    good = build_workbook(
        ("Sheet1", [["项目编号", "月份", "指标名称", "累计完成值"], ["01", 9, "新增城镇就业人数", 1]])
    )
    source = zipfile.ZipFile(good)
    buffer = io.BytesIO()
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
    )
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                data = laughs.encode() + body.replace(b"<v>1</v>", b"<v>&lol2;</v>", 1)
            archive.writestr(item, data)
    buffer.seek(0)
    report = import_ledger(buffer, "progress", actor=org.staff, year=2016)
    assert not report.ok
    assert not report.written
    assert "DTD" in report.problems[0].message, report.lines()
