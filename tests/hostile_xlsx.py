"""Crafted .xlsx files that try to hold a worker or slip something past the upload checks.

Each builder starts from a real workbook and changes one thing, written with zipfile so that
the files stay a few kilobytes however much they unpack to.
"""

import io
import struct
import zipfile

import openpyxl

SHEET = "xl/worksheets/sheet1.xml"


def workbook_bytes(rows=(("learner", "run"), ("91234567", "ENG-A1-T1"))) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def rewritten(data: bytes, changes: dict, extra: dict | None = None) -> bytes:
    """`data` with some parts changed (name -> function of the old bytes) or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename in changes:
                content = changes[item.filename](content)
            target.writestr(item.filename, content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return output.getvalue()


def _append_rows(rows_xml: bytes):
    return lambda sheet: sheet.replace(b"</sheetData>", rows_xml + b"</sheetData>")


def huge_comment(data: bytes, megabytes: int = 49) -> bytes:
    """The defect's file: the sheet ends in an XML comment of 49 MB (about 50 KB packed)."""
    comment = b"<!--" + b"x" * (megabytes * 1024 * 1024) + b"-->"
    return rewritten(data, {SHEET: lambda sheet: sheet + comment})


def small_comment(data: bytes) -> bytes:
    """A comment well within every size limit: still nothing Excel writes."""
    return rewritten(data, {SHEET: lambda sheet: sheet + b"<!-- hello -->"})


def entity_bomb(data: bytes) -> bytes:
    """A DTD whose entities expand a billion times ("billion laughs")."""
    dtd = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    return rewritten(data, {SHEET: lambda sheet: dtd + sheet.split(b"?>", 1)[-1]})


def wide_rows(data: bytes, cells: int = 60_000, width: int = 16_384) -> bytes:
    """Rows of value cells as wide as a sheet can be: a few KB packed."""
    cell = b"<c><v>1</v></c>"
    rows = []
    row = 3
    while cells > 0:
        count = min(width, cells)
        rows.append(b'<row r="%d">' % row + cell * count + b"</row>")
        cells -= count
        row += 1
    return rewritten(data, {SHEET: _append_rows(b"".join(rows))})


def declared_huge(data: bytes) -> bytes:
    """A sheet that declares itself A1:XFD1048576: openpyxl pads every row to 16,384 cells
    and walks a million rows unless it is told where to stop."""
    far = b'<row r="3"><c r="XFD3"><v>1</v></c></row>'

    def change(sheet: bytes) -> bytes:
        start = sheet.index(b"<dimension")
        end = sheet.index(b"/>", start) + 2
        sheet = sheet[:start] + b'<dimension ref="A1:XFD1048576"/>' + sheet[end:]
        return sheet.replace(b"</sheetData>", far + b"</sheetData>")

    return rewritten(data, {SHEET: change})


def shared_strings(data: bytes, count: int = 150_000) -> bytes:
    """Many shared strings: openpyxl reads them all as it opens the file."""
    strings = b"<si><t>a</t></si>" * count
    sst = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" '
        b'uniqueCount="%d">' % (count, count) + strings + b"</sst>"
    )
    return rewritten(data, {}, {"xl/sharedStrings.xml": sst})


def long_value(data: bytes) -> bytes:
    """One inline string of a million characters: no cell holds more than 32,767."""
    cell = b'<row r="3"><c t="inlineStr"><is><t>' + b"x" * 1_000_000 + b"</t></is></c></row>"
    return rewritten(data, {SHEET: _append_rows(cell)})


def zip_bomb(data: bytes) -> bytes:
    """A part of 20 MB of zeros, about 20 KB packed."""
    return rewritten(data, {}, {"xl/media/image1.png": bytes(20 * 1024 * 1024)})


def many_parts(data: bytes, count: int = 5000) -> bytes:
    return rewritten(data, {}, {f"xl/media/p{i}.bin": b"" for i in range(count)})


def lying_size(data: bytes) -> bytes:
    """The sheet's headers say it unpacks to 100 bytes; it unpacks to far more."""
    data = rewritten(data, {SHEET: _append_rows(b'<row r="3"><c><v>1</v></c></row>' * 2000)})
    name = SHEET.encode()
    patched = bytearray(data)
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := patched.find(signature, start)) >= 0:
            if patched[start + name_at : start + name_at + len(name)] == name:
                struct.pack_into("<I", patched, start + size_at, 100)
            start += 4
    return bytes(patched)


def macros(data: bytes) -> bytes:
    """A macro workbook renamed to .xlsx: it still carries its VBA project."""
    return rewritten(data, {}, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(512)})


def macro_content_type(data: bytes) -> bytes:
    return rewritten(
        data,
        {
            "[Content_Types].xml": lambda types: types.replace(
                b"sheet.main+xml", b"sheet.macroEnabled.main+xml"
            )
        },
    )


def external_link(data: bytes) -> bytes:
    link = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships"/></externalLink>'
    )
    return rewritten(data, {}, {"xl/externalLinks/externalLink1.xml": link})


def encrypted(data: bytes) -> bytes:
    """What Excel saves with a password: an OLE compound file, not a zip."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)


def zip_encrypted(data: bytes) -> bytes:
    """A part whose zip headers say it is encrypted."""
    patched = bytearray(data)
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := patched.find(signature, start)) >= 0:
            patched[start + flags_at] |= 0x1
            start += 4
    return bytes(patched)


def renamed_csv(data: bytes) -> bytes:
    return b"learner,run\n91234567,ENG-A1-T1\n"


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def empty(data: bytes) -> bytes:
    return b""


# name -> (builder, words the refusal must contain)
CRAFTED = {
    "huge-comment": (huge_comment, "unpacks to more than"),
    "small-comment": (small_comment, "content that Excel does not write"),
    "entity-bomb": (entity_bomb, "content that Excel does not write"),
    "long-value": (long_value, "content that Excel does not write"),
    "wide-row": (wide_rows, "cells, far more than it should"),
    "shared-strings": (shared_strings, "cells, far more than it should"),
    "zip-bomb": (zip_bomb, "unpacks to more than"),
    "many-parts": (many_parts, "parts; an ordinary spreadsheet has a few dozen"),
    "lying-size": (lying_size, "not an Excel spreadsheet (.xlsx) or it is damaged"),
    "macros": (macros, "Files with macros (.xlsm) are refused"),
    "macro-content-type": (macro_content_type, "Files with macros (.xlsm) are refused"),
    "external-link": (external_link, "links to other files"),
    "encrypted": (encrypted, "protected with a password"),
    "zip-encrypted": (zip_encrypted, "protected with a password"),
    "renamed-csv": (renamed_csv, "not an Excel spreadsheet (.xlsx)"),
    "truncated": (truncated, "not an Excel spreadsheet (.xlsx)"),
    "empty": (empty, "file is empty."),
}
