"""Importing a list of businesses as an officer does it: upload, preview, confirm, the background run, the
error report; good rows are imported, bad rows reported with their spreadsheet row number."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from bvntd.businesses import importer, registry
from bvntd.businesses.models import (
    Business,
    BusinessEvent,
    BusinessEventKind,
    BusinessImport,
    BusinessName,
    ImportRowError,
    ImportStatus,
    NameKind,
)

from .conftest import TAX_A, TAX_B

TAX_C = "0300000018"
TAX_D = "1500000017"
TAX_E = "1500000024"

HEADER = ["Mã số thuế", "Tên doanh nghiệp", "Tên khác", "Tỉnh/thành phố", "Xã/phường", "Địa chỉ", "Gian hàng"]
GOOD_AND_BAD = [
    # row 2: good, with aliases and shops
    [
        TAX_A,
        "Công ty TNHH Điện máy Ánh Dương",
        "Ánh Dương; DMAD",
        "Vĩnh Long",
        "Phú Khương",
        "12 Phạm Thái Bường",
        "Shopee: dienmayanhduong; Lazada: anhduong",
    ],
    # row 3: bad tax code (check digit)
    ["0100109107", "Cửa hàng Hoa Mai", "", "Vĩnh Long", "", "", ""],
    # row 4: unknown province
    ["", "Nhà thuốc Hồng Phúc", "", "Tỉnh Atlantis", "", "", ""],
    # row 5: missing name
    [TAX_C, "", "", "Vĩnh Long", "", "", ""],
    # row 6: a Vĩnh Long ward under Hà Nội
    ["", "Nhà sách Phương Nam", "", "Hà Nội", "Phú Khương", "", ""],
    # row 7: good, province and commune written the short way
    ["", "Nhà xe Phương Nam", "NX Phương Nam", "TP. Hà Nội", "P. Ba Đình", "", ""],
    # row 8: good, the bare minimum
    [TAX_B, "CTCP Thời trang Bình Minh", "", "", "", "", ""],
]
GOOD_ROWS = 3
BAD_ROWS = {3: "tax_code", 4: "province", 5: "name", 6: "commune"}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        yield tmp_path


def csv_bytes(rows, header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff".encode() + buffer.getvalue().encode()  # UTF-8 with BOM, as Excel saves it


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def officer(client, personas):
    client.force_login(personas["canbo.sct"])
    return personas["canbo.sct"]


def upload(client, name: str, content: bytes):
    return client.post(reverse("businesses:import_new"), {"file": SimpleUploadedFile(name, content)})


def upload_ok(client, name: str, content: bytes) -> BusinessImport:
    response = upload(client, name, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = BusinessImport.objects.latest("pk")
    assert response["Location"] == reverse("businesses:import", args=[batch.pk])
    assert batch.status == ImportStatus.PREVIEW
    return batch


def confirm_and_run(client, batch: BusinessImport) -> BusinessImport:
    response = client.post(reverse("businesses:import_step", args=[batch.pk, "confirm"]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.QUEUED
    return importer.import_run(batch_id=batch.pk)


# --- the whole path -------------------------------------------------------------------------------------


def test_good_rows_are_imported_and_bad_rows_reported(client, officer):
    batch = upload_ok(client, "danh-sach.csv", csv_bytes(GOOD_AND_BAD))
    assert batch.original_name == "danh-sach.csv"
    assert batch.uploaded_by == officer

    preview = client.get(reverse("businesses:import", args=[batch.pk]))
    assert preview.status_code == 200
    assert [row.row for row in preview.context["preview"]] == [2, 7, 8]
    assert preview.context["preview"][0].name == "Công ty TNHH Điện máy Ánh Dương"
    assert {(e.row, e.field) for e in preview.context["preview_errors"]} == set(BAD_ROWS.items())
    text = preview.content.decode()
    assert "Nhà xe Phương Nam" in text
    # Errors name the column as the spreadsheet's header does.
    assert "Dòng 3 · Mã số thuế" in text and "Tỉnh Atlantis" in text and "Thiếu tên doanh nghiệp." in text
    assert 'data-testid="confirm-import"' in text
    assert not Business.objects.exists()  # a preview writes nothing

    batch = confirm_and_run(client, batch)
    assert batch.status == ImportStatus.DONE
    assert batch.finished_at is not None
    assert (batch.processed_rows, batch.created_count, batch.updated_count) == (7, GOOD_ROWS, 0)
    assert batch.error_count == len(BAD_ROWS)
    assert {(e.row, e.field) for e in ImportRowError.objects.filter(batch=batch)} == set(BAD_ROWS.items())
    bad = ImportRowError.objects.get(batch=batch, row=3)
    assert bad.value == "0100109107"
    assert "không hợp lệ" in bad.message

    anh_duong = Business.objects.get(tax_code=TAX_A)
    assert (anh_duong.province_id, anh_duong.commune_id, anh_duong.address) == (
        "86",
        "28756",
        "12 Phạm Thái Bường",
    )
    assert dict(anh_duong.names.values_list("name", "kind")) == {
        "Công ty TNHH Điện máy Ánh Dương": NameKind.LEGAL,
        "Ánh Dương": NameKind.ALIAS,
        "DMAD": NameKind.ALIAS,
        "Shopee: dienmayanhduong": NameKind.SHOP,
        "Lazada: anhduong": NameKind.SHOP,
    }
    nha_xe = Business.objects.get(name="Nhà xe Phương Nam")
    assert (nha_xe.tax_code, nha_xe.province_id, nha_xe.commune_id) == ("", "01", "00004")
    assert BusinessName.objects.filter(business=nha_xe, name="NX Phương Nam", kind=NameKind.ALIAS).exists()
    assert Business.objects.filter(tax_code=TAX_B).exists()
    assert Business.objects.count() == GOOD_ROWS
    # Each import leaves its own audit row, by the officer who uploaded the file.
    assert BusinessEvent.objects.filter(kind=BusinessEventKind.IMPORTED, actor=officer).count() == GOOD_ROWS
    # The imported names are matched like any other.
    assert [b.pk for b, _c in registry.business_candidates(name="nha xe phuong nam")] == [nha_xe.pk]

    page = client.get(reverse("businesses:import", args=[batch.pk]))
    text = page.content.decode()
    assert "Hoàn thành" in text and "thêm mới 3, bổ sung 0, lỗi 4 dòng" in text
    assert reverse("businesses:import_errors", args=[batch.pk]) in text
    assert [e.row for e in page.context["errors"]] == sorted(BAD_ROWS)


def test_the_error_report_downloads_as_csv(client, officer):
    batch = confirm_and_run(client, upload_ok(client, "danh-sach.csv", csv_bytes(GOOD_AND_BAD)))
    response = client.get(f"/can-bo/doanh-nghiep/nhap/{batch.pk}/loi.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="loi-nhap-{batch.pk}.csv"' in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["Dòng", "Cột", "Lỗi", "Giá trị"]
    # Every bad row, with the column as the spreadsheet's header names it.
    assert [(int(row[0]), row[1]) for row in rows[1:]] == [
        (3, "Mã số thuế"),
        (4, "Tỉnh/thành phố"),
        (5, "Tên doanh nghiệp"),
        (6, "Xã/phường"),
    ]
    assert rows[2][3] == "Tỉnh Atlantis"


def test_the_error_report_does_not_carry_formulas_into_excel(client, officer):
    rows = [
        ['=HYPERLINK("http://evil.example","Bấm vào đây")', "Cửa hàng Hoa Mai", "", "", "", "", ""],
        ["", "Nhà thuốc Hồng Phúc", "", "@SUM(1+1)", "", "", ""],
        ["", "Nhà sách Phương Nam", "", "-5", "", "", ""],
    ]
    batch = confirm_and_run(client, upload_ok(client, "cong-thuc.csv", csv_bytes(rows)))
    assert batch.error_count == 3
    body = client.get(reverse("businesses:import_errors", args=[batch.pk])).content.decode()
    values = [row[3] for row in csv.reader(io.StringIO(body.lstrip("\ufeff")))][1:]
    assert values == ['\'=HYPERLINK("http://evil.example","Bấm vào đây")', "'@SUM(1+1)", "'-5"]
    assert all(row[2][:1] not in "=+-@" for row in csv.reader(io.StringIO(body.lstrip("\ufeff"))))


def test_a_row_with_a_known_tax_code_completes_that_business(client, officer, personas, now):
    existing = registry.business_create(
        actor=personas["canbo2.sct"], now=now, name="Điện máy Ánh Dương", tax_code=TAX_A
    )
    rows = [
        [
            TAX_A,
            "Công ty TNHH Điện máy Ánh Dương Vĩnh Long",
            "DMAD",
            "Vĩnh Long",
            "",
            "12 Phạm Thái Bường",
            "",
        ],
        [TAX_D, "Cửa hàng Hoa Mai", "", "", "", "", ""],
    ]
    batch = confirm_and_run(client, upload_ok(client, "bo-sung.csv", csv_bytes(rows)))
    assert (batch.created_count, batch.updated_count, batch.error_count) == (1, 1, 0)
    existing.refresh_from_db()
    assert existing.name == "Điện máy Ánh Dương"  # the registered name stays
    assert (existing.province_id, existing.address) == ("86", "12 Phạm Thái Bường")  # empty fields filled
    names = dict(existing.names.values_list("name", "kind"))
    assert names["Công ty TNHH Điện máy Ánh Dương Vĩnh Long"] == NameKind.ALIAS
    assert names["DMAD"] == NameKind.ALIAS
    assert Business.objects.filter(tax_code=TAX_A).count() == 1
    update = existing.events.get(kind=BusinessEventKind.UPDATED)
    assert update.actor == officer
    assert update.data["names_added"] == 2


def test_a_known_tax_code_does_not_overwrite_what_the_registry_has(client, officer, personas, now):
    existing = registry.business_create(
        actor=personas["canbo.sct"], now=now, name="Điện máy Ánh Dương", tax_code=TAX_A, province_id="86"
    )
    rows = [[TAX_A, "Điện máy Ánh Dương", "", "Hà Nội", "", "", ""]]
    batch = confirm_and_run(client, upload_ok(client, "lap-lai.csv", csv_bytes(rows)))
    assert (batch.created_count, batch.updated_count, batch.error_count) == (0, 1, 0)
    existing.refresh_from_db()
    assert existing.province_id == "86"
    assert not existing.events.filter(kind=BusinessEventKind.UPDATED).exists()  # nothing new to record


def test_an_xlsx_file_imports_too(client, officer):
    rows = [
        # Excel turned the tax code into a number and dropped its leading zero.
        [int(TAX_A), "Công ty TNHH Điện máy Ánh Dương", "Ánh Dương Mart\nDMAD", "86", "28756", None, None],
        [None, "", None, "Vĩnh Long", None, None, None],
        [TAX_E, "Cửa hàng Hoa Mai", None, "Tỉnh Vĩnh Long", "Phường Phú Khương", None, "Shopee: hoamai"],
    ]
    batch = upload_ok(client, "danh-sach.xlsx", xlsx_bytes(rows))
    preview = client.get(reverse("businesses:import", args=[batch.pk]))
    assert [row.row for row in preview.context["preview"]] == [2, 4]
    batch = confirm_and_run(client, batch)
    assert (batch.status, batch.created_count, batch.error_count) == (ImportStatus.DONE, 2, 1)
    assert ImportRowError.objects.get(batch=batch).row == 3
    anh_duong = Business.objects.get(tax_code=TAX_A)
    assert set(anh_duong.names.values_list("name", flat=True)) == {
        "Công ty TNHH Điện máy Ánh Dương",
        "Ánh Dương Mart",
        "DMAD",
    }
    assert Business.objects.get(tax_code=TAX_E).commune_id == "28756"


# --- files that are refused -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "danh-sach.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
            ".xls hãy lưu lại thành .xlsx",
        ),
        ("danh-sach.pdf", b"%PDF-1.4", "Chỉ nhận tệp CSV (.csv) hoặc Excel (.xlsx)"),
        ("danh-sach.xlsx", b"this is not a zip file at all", "Không mở được tệp Excel"),
        (
            "danh-sach.csv",
            "Họ tên,Điện thoại\nAn,0912345678\n".encode(),
            "Thiếu cột bắt buộc “Tên doanh nghiệp”",
        ),
        ("danh-sach.csv", b"\xef\xbb\xbf\r\n \r\n\r\n", "Tệp không có dữ liệu"),
    ],
)
def test_an_unusable_file_is_refused_with_a_clear_message(client, officer, name, content, message):
    response = upload(client, name, content)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert response.context["form"].errors["file"]
    assert not BusinessImport.objects.exists()
    assert not Business.objects.exists()


def test_a_file_broken_after_upload_fails_and_imports_nothing(client, officer):
    batch = upload_ok(client, "danh-sach.xlsx", xlsx_bytes(GOOD_AND_BAD))
    with batch.file.open("wb") as handle:  # the stored file is damaged (a disk, a bad copy)
        handle.write(b"garbage")
    page = client.get(reverse("businesses:import", args=[batch.pk]))
    assert page.status_code == 200
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "Không mở được tệp Excel" in batch.message
    assert "Không mở được tệp Excel" in page.content.decode()
    assert 'data-testid="confirm-import"' not in page.content.decode()
    # Confirming is refused; a run does nothing.
    client.post(reverse("businesses:import_step", args=[batch.pk, "confirm"]))
    assert importer.import_run(batch_id=batch.pk).status == ImportStatus.FAILED
    assert not Business.objects.exists()


# --- whose import, and changing one's mind --------------------------------------------------------------


def test_another_users_import_does_not_exist_for_them(client, officer, personas):
    batch = upload_ok(client, "danh-sach.csv", csv_bytes(GOOD_AND_BAD))
    client.force_login(personas["canbo2.sct"])
    assert client.get(reverse("businesses:import", args=[batch.pk])).status_code == 404
    assert client.get(reverse("businesses:import_errors", args=[batch.pk])).status_code == 404
    assert client.post(reverse("businesses:import_step", args=[batch.pk, "confirm"])).status_code == 404
    assert client.post(reverse("businesses:import_step", args=[batch.pk, "cancel"])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW
    # Nor is it in their list of recent imports.
    assert list(client.get(reverse("businesses:import_new")).context["recent"]) == []


def test_read_only_roles_cannot_import(client, personas):
    client.force_login(personas["kiemtoan"])
    response = upload(client, "danh-sach.csv", csv_bytes(GOOD_AND_BAD))
    assert response.status_code == 403
    assert not BusinessImport.objects.exists()


def test_an_unknown_step_is_404(client, officer):
    batch = upload_ok(client, "danh-sach.csv", csv_bytes(GOOD_AND_BAD))
    assert client.post(reverse("businesses:import_step", args=[batch.pk, "run"])).status_code == 404


def test_cancel_in_preview(client, officer):
    batch = upload_ok(client, "danh-sach.csv", csv_bytes(GOOD_AND_BAD))
    response = client.post(reverse("businesses:import_step", args=[batch.pk, "cancel"]), follow=True)
    assert response.status_code == 200
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED
    assert "Đã hủy" in response.content.decode()
    # A cancelled file cannot be confirmed, and a stray run imports nothing.
    again = client.post(reverse("businesses:import_step", args=[batch.pk, "confirm"]), follow=True)
    assert "đã được xác nhận hoặc đã hủy" in again.content.decode()
    assert importer.import_run(batch_id=batch.pk).status == ImportStatus.CANCELLED
    assert not Business.objects.exists()


def test_confirming_twice_queues_one_run(client, officer, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    batch = upload_ok(client, "danh-sach.csv", csv_bytes(GOOD_AND_BAD))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("businesses:import_step", args=[batch.pk, "confirm"]))
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(reverse("businesses:import_step", args=[batch.pk, "confirm"]), follow=True)
    assert "đã được xác nhận hoặc đã hủy" in second.content.decode()
    runs = DBTaskResult.objects.filter(task_path="bvntd.businesses.tasks.run_import")
    assert [run.args_kwargs["kwargs"] for run in runs] == [{"batch_id": batch.pk}]
    # Cancelling a queued import is refused too.
    client.post(reverse("businesses:import_step", args=[batch.pk, "cancel"]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.QUEUED


# --- progress -------------------------------------------------------------------------------------------


FIVE = [
    [code, f"Doanh nghiệp số {i}", "", "Vĩnh Long", "", "", ""]
    for i, code in enumerate(["", TAX_A, "", TAX_B, ""], start=1)
]


def test_a_run_works_in_batches_and_reports_progress(client, officer, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_ROWS", 2)
    seen = []
    chunk = importer._import_chunk

    def spy(batch, rows, lookups):
        chunk(batch, rows, lookups)
        seen.append(BusinessImport.objects.get(pk=batch.pk).processed_rows)

    monkeypatch.setattr(importer, "_import_chunk", spy)
    batch = upload_ok(client, "nam-dong.csv", csv_bytes(FIVE))
    client.post(reverse("businesses:import_step", args=[batch.pk, "confirm"]))

    queued = client.get(reverse("businesses:import", args=[batch.pk]), headers={"HX-Request": "true"})
    fragment = queued.content.decode()
    assert fragment.lstrip().startswith('<div id="progress"')
    assert "<html" not in fragment and "<h1>" not in fragment
    assert 'hx-trigger="every 2s"' in fragment  # still polling while queued

    batch = importer.import_run(batch_id=batch.pk)
    assert seen == [2, 4, 5]
    assert (batch.processed_rows, batch.created_count, batch.status) == (5, 5, ImportStatus.DONE)

    done = client.get(reverse("businesses:import", args=[batch.pk]), headers={"HX-Request": "true"})
    fragment = done.content.decode()
    assert 'data-testid="import-progress"' in fragment
    assert "đã xử lý 5 dòng" in fragment and "thêm mới 5" in fragment
    assert "hx-trigger" not in fragment  # finished: the page stops asking
    assert "<html" not in fragment
    # Without the header, the whole page.
    assert "<html" in client.get(reverse("businesses:import", args=[batch.pk])).content.decode()


def test_a_stopped_run_resumes_after_the_last_saved_batch(client, officer, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_ROWS", 2)
    chunk = importer._import_chunk
    calls = []

    def crash_on_second(batch, rows, lookups):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("worker restarted")
        chunk(batch, rows, lookups)

    batch = upload_ok(client, "nam-dong.csv", csv_bytes(FIVE))
    client.post(reverse("businesses:import_step", args=[batch.pk, "confirm"]))
    monkeypatch.setattr(importer, "_import_chunk", crash_on_second)
    with pytest.raises(RuntimeError):
        importer.import_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.processed_rows, batch.created_count) == (ImportStatus.RUNNING, 2, 2)
    assert Business.objects.count() == 2  # the failed batch left nothing half-written

    monkeypatch.setattr(importer, "_import_chunk", chunk)
    batch = importer.import_run(batch_id=batch.pk)
    assert (batch.status, batch.processed_rows, batch.created_count) == (ImportStatus.DONE, 5, 5)
    assert Business.objects.count() == 5
    # A finished run is not run again.
    assert importer.import_run(batch_id=batch.pk).created_count == 5
    assert Business.objects.count() == 5


def test_the_same_new_tax_code_twice_in_one_file_makes_one_business(client, officer):
    rows = [
        [TAX_D, "Cửa hàng Hoa Mai", "", "", "", "", ""],
        [TAX_D, "Hoa Mai Shop", "", "Vĩnh Long", "", "", ""],
    ]
    batch = confirm_and_run(client, upload_ok(client, "trung.csv", csv_bytes(rows)))
    assert (batch.created_count, batch.updated_count, batch.error_count) == (1, 1, 0)
    business = Business.objects.get(tax_code=TAX_D)
    assert business.province_id == "86"
    assert set(business.names.values_list("name", flat=True)) == {"Cửa hàng Hoa Mai", "Hoa Mai Shop"}
