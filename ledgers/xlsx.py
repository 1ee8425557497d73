"""A streaming .xlsx reader for ledgers: the cell values of each sheet, row by row, straight from expat.

openpyxl's read-only mode builds an object per cell through ElementTree and its descriptors; a 50,000-row
ledger spends most of its import time there. Ledgers only need values, so this reader takes the parts it
needs from the zip (workbook, relationships, shared strings, the date styles, each sheet) and turns cells
into values with expat callbacks. Values are what openpyxl's read-only `values_only` rows give: str, int,
float, bool, datetime (for cells styled as dates) or None.

XML is parsed with expat with every DTD refused (no entity can be declared, so none can expand or point
outside the file), the same protection defusedxml gives openpyxl.
"""

import datetime
import posixpath
import re
import zipfile
from collections.abc import Iterator
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

CHUNK = 256 * 1024
CELL_REF = re.compile(r"([A-Z]+)(\d+)")


class UnsafeXml(ValueError):
    """The XML declares a DTD or entities; ledgers never need them and they are how XML attacks work."""


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _parser(start=None, end=None, text=None):
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def forbid(*args):
        raise UnsafeXml("XML中含有DTD或实体声明")

    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    parser.buffer_text = True
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    return parser


def _parse_part(archive: zipfile.ZipFile, name: str, start=None, end=None, text=None) -> None:
    parser = _parser(start, end, text)
    with archive.open(name) as part:
        while chunk := part.read(CHUNK):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


class Sheet:
    def __init__(self, book: "Workbook", title: str, path: str, state: str):
        self.book, self.title, self.path, self.sheet_state = book, title, path, state

    def iter_rows(self) -> Iterator[tuple[int, tuple]]:
        return self.book.rows(self.path)


class Workbook:
    """The sheets of an .xlsx, read lazily; `close()` releases the zip."""

    def __init__(self, fileobj):
        self.archive = zipfile.ZipFile(fileobj)
        names = set(self.archive.namelist())
        self.epoch = CALENDAR_WINDOWS_1900
        sheets: list[tuple[str, str, str]] = []

        def workbook_start(name, attrs):
            tag = _local(name)
            if tag == "sheet":
                rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
                sheets.append((attrs.get("name", ""), rid, attrs.get("state", "visible")))
            elif tag == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904

        _parse_part(self.archive, "xl/workbook.xml", workbook_start)
        targets: dict[str, str] = {}

        def rels_start(name, attrs):
            if _local(name) == "Relationship":
                targets[attrs.get("Id", "")] = attrs.get("Target", "")

        _parse_part(self.archive, "xl/_rels/workbook.xml.rels", rels_start)
        self.worksheets = []
        for title, rid, state in sheets:
            target = targets.get(rid, "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            if path in names:
                self.worksheets.append(Sheet(self, title, path, state))
        self.shared = self._shared_strings() if "xl/sharedStrings.xml" in names else []
        self.date_styles = self._date_styles() if "xl/styles.xml" in names else set()

    def close(self) -> None:
        self.archive.close()

    def _shared_strings(self) -> list[str]:
        strings: list[str] = []
        parts: list[str] = []
        state = {"in_t": False, "skip": 0}

        def start(name, attrs):
            tag = _local(name)
            if tag == "si":
                parts.clear()
            elif tag == "rPh":  # phonetic guide text is not part of the value
                state["skip"] += 1
            elif tag == "t" and not state["skip"]:
                state["in_t"] = True

        def end(name):
            tag = _local(name)
            if tag == "si":
                strings.append("".join(parts))
            elif tag == "rPh":
                state["skip"] -= 1
            elif tag == "t":
                state["in_t"] = False

        def text(data):
            if state["in_t"]:
                parts.append(data)

        _parse_part(self.archive, "xl/sharedStrings.xml", start, end, text)
        return strings

    def _date_styles(self) -> set[int]:
        formats = dict(BUILTIN_FORMATS)
        xf_formats: list[int] = []
        state = {"in_cell_xfs": False}

        def start(name, attrs):
            tag = _local(name)
            if tag == "numFmt":
                formats[int(attrs.get("numFmtId", 0))] = attrs.get("formatCode", "")
            elif tag == "cellXfs":
                state["in_cell_xfs"] = True
            elif tag == "xf" and state["in_cell_xfs"]:
                xf_formats.append(int(attrs.get("numFmtId", 0)))

        def end(name):
            if _local(name) == "cellXfs":
                state["in_cell_xfs"] = False

        _parse_part(self.archive, "xl/styles.xml", start, end)
        return {i for i, fmt in enumerate(xf_formats) if is_date_format(formats.get(fmt, ""))}

    def cell_value(self, kind: str, raw: str | None, style: int) -> object:
        """A cell's value from its type attribute, raw text and style: text, bool, number or datetime."""
        if raw is None or (raw == "" and kind not in ("inlineStr", "str", "s")):
            return None  # e.g. a formula saved without its computed value
        if kind == "s":
            return self.shared[int(raw)]
        if kind in ("inlineStr", "str", "e"):
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            return datetime.datetime.fromisoformat(raw)
        number = float(raw) if any(ch in raw for ch in ".eE") else int(raw)
        if style in self.date_styles:
            try:
                return from_excel(number, self.epoch)
            except (ValueError, OverflowError):
                return number
        return number

    def rows(self, path: str) -> Iterator[tuple[int, tuple]]:
        """(row number, values) of a sheet's rows, streaming; rows missing from the file are not yielded."""
        convert = self.cell_value
        ready: list[tuple[int, tuple]] = []
        row: dict[int, object] = {}
        state = {"row": 0, "col": -1, "type": "n", "style": 0, "text": None, "in_value": False}
        texts: list[str] = []

        def start(name, attrs):
            tag = _local(name)
            if tag == "c":
                ref = attrs.get("r")
                if ref:
                    match = CELL_REF.match(ref)
                    state["col"] = column_index(match.group(1)) if match else state["col"] + 1
                else:
                    state["col"] += 1
                state["type"] = attrs.get("t", "n")
                state["style"] = int(attrs.get("s", 0))
                texts.clear()
                state["text"] = None
            elif tag == "row":
                number = attrs.get("r")
                state["row"] = int(number) if number else state["row"] + 1
                state["col"] = -1
                row.clear()
            elif tag in ("v", "t"):
                state["in_value"] = True
                texts.clear()

        def end(name):
            tag = _local(name)
            if tag in ("v", "t"):
                state["in_value"] = False
                state["text"] = (state["text"] or "") + "".join(texts) if tag == "t" else "".join(texts)
            elif tag == "c":
                value = convert(state["type"], state["text"], state["style"])
                if value is not None:
                    row[state["col"]] = value
            elif tag == "row":
                if row:
                    width = max(row) + 1
                    ready.append((state["row"], tuple(row.get(i) for i in range(width))))
                else:
                    ready.append((state["row"], ()))

        def text(data):
            if state["in_value"]:
                texts.append(data)

        parser = _parser(start, end, text)
        with self.archive.open(path) as part:
            while chunk := part.read(CHUNK):
                parser.Parse(chunk, False)
                yield from ready
                ready.clear()
        parser.Parse(b"", True)
        yield from ready
