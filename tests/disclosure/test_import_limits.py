"""The catalogue import bounds what it reads (issue 14): the file's size, what the workbook expands to, and the rows —
counted while the sheet is streamed, so a sheet past the limit is refused before the rest of it is read."""
import io
import re
import zipfile

import pytest
from django.urls import reverse

from apps.disclosure.models import CatalogueImport, Entry
from tests.disclosure.factories import catalogue_with_entries, load_world, row, upload, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(roles, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    return load_world()


def with_sheet(content: bytes, change) -> bytes:
    """The same xlsx with its first sheet's XML changed by ``change``."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(item.filename, data)
    return out.getvalue()


def import_page(client, catalogue, content):
    url = reverse("admin:disclosure_catalogue_import", args=[catalogue.pk])
    return client.post(url, {"file": upload(content)}).content.decode()


def test_more_rows_than_the_limit_are_refused_while_reading(client, world, settings):
    """Rows past the limit, then XML that no reader could parse: a reader that loads the whole sheet before counting
    calls it a broken file; the streaming reader stops at the limit and says so."""
    settings.DISCLOSURE_IMPORT_MAX_ROWS = 30
    catalogue = catalogue_with_entries(world, 0)
    rows = [row(n) for n in range(1, 61)]

    def break_after_row_50(xml: bytes) -> bytes:
        cut = xml.index(b"</row>", xml.index(b'<row r="50"')) + len(b"</row>")
        return xml[:cut] + b'<row r="51"><c r="A51" t="broken'  # never closed

    content = with_sheet(workbook(rows), break_after_row_50)
    client.force_login(world["officer"])
    page = import_page(client, catalogue, content)
    assert "一次最多导入30行" in page and "不是xlsx表格" not in page
    assert not CatalogueImport.objects.exists() and not Entry.objects.exists()


def test_rows_within_the_limit_are_read_with_their_merged_cells(client, world, settings):
    settings.DISCLOSURE_IMPORT_MAX_ROWS = 30
    catalogue = catalogue_with_entries(world, 0)
    rows = [row(n) for n in range(1, 31)]
    for r in rows[1:3]:
        r[1] = None  # 一级事项 merged over rows 4-6 as governments fill it
    client.force_login(world["officer"])
    page = import_page(client, catalogue, workbook(rows, merges=["B4:B6"]))
    assert "预览：共30项" in page
    assert CatalogueImport.objects.get().row_count == 30


def test_a_row_far_down_the_sheet_is_refused_without_reading_the_rows_between(client, world):
    catalogue = catalogue_with_entries(world, 0)

    def one_row_at_the_bottom(xml: bytes) -> bytes:
        far = b'<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row>'
        return re.sub(rb"</sheetData>", far + b"</sheetData>", xml, count=1)

    client.force_login(world["officer"])
    page = import_page(client, catalogue, with_sheet(workbook([row(1)]), one_row_at_the_bottom))
    assert "一次最多导入20000行" in page and not CatalogueImport.objects.exists()


def test_a_workbook_that_expands_far_beyond_its_size_is_refused_without_extracting(client, world):
    catalogue = catalogue_with_entries(world, 0)
    source, out = zipfile.ZipFile(io.BytesIO(workbook([row(1)]))), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
        with target.open("xl/media/padding.bin", "w", force_zip64=True) as entry:
            for _ in range(150):
                entry.write(b"\x00" * (1024 * 1024))
    client.force_login(world["officer"])
    page = import_page(client, catalogue, out.getvalue())
    assert "解压后为" in page and "150.0\xa0MB" in page
    assert not CatalogueImport.objects.exists() and not Entry.objects.exists()
