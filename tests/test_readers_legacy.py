"""Old formats through LibreOffice: .doc (made from our docx by soffice in the test),
.rtf, .odt and .wps; the Document keeps the ORIGINAL file's name, hash and format.

Slow (about a second per conversion) but part of the normal test command whenever
soffice is installed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

try:
    from conftest_readers import make_full_docx, random_bytes, soffice_convert
except ImportError:
    from tests.conftest_readers import make_full_docx, random_bytes, soffice_convert

from extractors import read_docx
from extractors._common import OLE_MAGIC, Limits, file_sha256
from extractors.metadata import Participant
from extractors.readers import read_document
from reportscore.errors import DocumentError

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed "
                                   "(apt-get install --no-install-recommends libreoffice-writer-nogui)")


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, Path]:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    d = tmp_path_factory.mktemp("legacy")
    docx = make_full_docx(d / "如东县5-6月进展.docx")
    out = {"docx": docx}
    for fmt in ("doc", "rtf", "odt"):
        out[fmt] = soffice_convert(docx, fmt, d)
    wps = d / "如东县5-6月进展.wps"
    shutil.copyfile(out["doc"], wps)  # a Kingsoft .wps is a Word-binary file
    out["wps"] = wps
    return out


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("fmt", ["doc", "rtf", "odt", "wps"])
def test_legacy_formats_read_like_the_docx(sources, fmt):
    original = read_docx.read(sources["docx"])
    path = sources[fmt]
    doc = read_document(path, [Participant("如东县")])
    assert doc.source == path.name and doc.format == fmt
    assert doc.sha256 == file_sha256(path) != original.sha256
    texts = [b.text for b in doc.blocks]
    for must in ("完成城区180座公厕维修维护，新建垃圾分类投放站32个。", "改造中转站3座，新增压缩设备5套。", "18座", "2024年任务"):
        assert must in texts, (fmt, must)
    assert any("LibreOffice" in n for n in doc.notes)
    assert doc.unit == "如东县" and doc.period == "2024-05/06"
    cell = [b for b in doc.blocks if b.text == "18座"][0]
    assert cell.kind == "table_cell" and "公厕改造" in cell.context


@pytest.mark.slow
@needs_soffice
def test_doc_keeps_tracked_changes_text_box_and_footnote(sources):
    doc = read_document(sources["doc"])
    texts = [b.text for b in doc.blocks]
    assert "本期新建分类厢房48个。" in texts
    assert [b.kind for b in doc.blocks if "新增收运车辆16辆" in b.text] == ["textbox"]
    assert [b.kind for b in doc.blocks if b.text.startswith("含2个在建项目")] == ["footnote"]


@pytest.mark.slow
@needs_soffice
def test_docx_named_doc_and_doc_named_docx(sources, tmp_path):
    a = tmp_path / "a.doc"
    shutil.copyfile(sources["docx"], a)
    da = read_document(a)
    assert any("named .doc but is a .docx" in n for n in da.notes)
    b = tmp_path / "b.docx"
    shutil.copyfile(sources["doc"], b)
    db = read_document(b)
    assert any("old Word 97-2003" in n for n in db.notes)
    assert "18座" in [x.text for x in db.blocks]


@pytest.mark.slow
@needs_soffice
def test_conversion_timeout(sources):
    with pytest.raises(DocumentError) as e:
        read_document(sources["doc"], limits=Limits(subprocess_timeout=0.05))
    assert e.value.code == "conversion_timeout"
    assert sources["doc"].name in str(e.value)


def test_libreoffice_missing(tmp_path, monkeypatch):
    """No soffice on PATH: a clear error with the install line (no conversion attempted)."""
    path = tmp_path / "old.doc"
    header = bytearray(OLE_MAGIC + b"\0" * 504)
    header[26:28], header[28:30], header[30:32] = (3).to_bytes(2, "little"), b"\xfe\xff", (9).to_bytes(2, "little")
    path.write_bytes(bytes(header) + "WordDocument".encode("utf-16-le") + b"\0" * 600)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(DocumentError) as e:
        read_document(path)
    assert e.value.code == "libreoffice_missing"
    assert "old.doc" in str(e.value) and "libreoffice" in str(e.value)


def test_random_bytes_doc_is_refused_before_conversion(tmp_path):
    path = tmp_path / "noise.doc"
    path.write_bytes(random_bytes(5000))
    with pytest.raises(DocumentError) as e:
        read_document(path)
    assert e.value.code == "wrong_type" and "noise.doc" in str(e.value)


def test_ole_magic_with_garbage_is_refused(tmp_path):
    """Starts like a .doc, is not one: LibreOffice would 'convert' it to garbage text."""
    path = tmp_path / "fake.doc"
    path.write_bytes(OLE_MAGIC + random_bytes(20000))
    with pytest.raises(DocumentError) as e:
        read_document(path)
    assert e.value.code == "corrupt" and "header is damaged" in str(e.value)


@pytest.mark.slow
@needs_soffice
def test_an_html_page_named_rtf_is_converted_with_a_note(tmp_path):
    """readers.route sends HTML named .rtf to LibreOffice; the legacy reader must accept it."""
    page = tmp_path / "如东县5-6月进展.rtf"
    page.write_text("<html><head><meta charset='utf-8'></head><body><p>如东县城管局</p>"
                    "<p>完成城区180座公厕维修维护，新建垃圾分类投放站32个。</p></body></html>", encoding="utf-8")
    doc = read_document(page, [Participant("如东县")])
    assert "完成城区180座公厕维修维护，新建垃圾分类投放站32个。" in [b.text for b in doc.blocks]
    assert any("HTML" in n for n in doc.notes), doc.notes
