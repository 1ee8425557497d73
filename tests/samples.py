"""Small real files for upload tests (the upload check opens images and containers: a few magic bytes are
not enough), and the hostile ones it must refuse."""

import io
import zipfile

from PIL import Image


def image(fmt: str = "JPEG", size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 30)).save(buffer, fmt)
    return buffer.getvalue()


def jpeg() -> bytes:
    return image("JPEG")


def png() -> bytes:
    return image("PNG")


def pdf(body: bytes = b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n") -> bytes:
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + body + b"trailer<</Root 1 0 R>>\n%%EOF\n"


def office(extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Office Open XML container ([Content_Types].xml plus `extra` parts)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


# Hostile files.
def jpeg_html_polyglot() -> bytes:
    """A valid JPEG that also carries a page (in a comment segment before the end of image)."""
    return jpeg()[:-2] + b"<html><script>alert(document.cookie)</script></html>" + b"\xff\xd9"


def png_svg_polyglot() -> bytes:
    """A valid PNG whose text chunk carries SVG with a script."""
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "<svg onload=alert(1)>")
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def pdf_with_javascript() -> bytes:
    return pdf(b"1 0 obj<</Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n")


def pdf_with_escaped_javascript() -> bytes:
    return pdf(b"1 0 obj<</Type/Catalog/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>>>endobj\n")


def pdf_with_compressed_javascript() -> bytes:
    import zlib

    hidden = zlib.compress(b"<</S/JavaScript/JS(app.alert(1))>>")
    return pdf(b"2 0 obj<</Type/ObjStm/Filter/FlateDecode>>stream\n" + hidden + b"\nendstream endobj\n")


def pdf_with_launch() -> bytes:
    return pdf(b"1 0 obj<</Type/Catalog/AA<</O<</S/Launch/F(cmd.exe)>>>>>>endobj\n")


def pdf_with_embedded_file() -> bytes:
    return pdf(b"1 0 obj<</Type/Catalog/Names<</EmbeddedFiles 3 0 R>>>>endobj\n")


HTML_AS_TEXT = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
