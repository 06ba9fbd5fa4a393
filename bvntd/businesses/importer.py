"""Importing businesses from a file: upload, preview, confirm, then a background run in batches that
reports progress and keeps an error row for each bad line. Good rows are imported; bad rows are reported
with their spreadsheet row number; nothing half-written stays behind a failed batch."""

import datetime as dt
import itertools

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bvntd.agencies.models import Sector
from bvntd.core.errors import DomainError, FieldError, FieldErrors
from bvntd.core.outbox import enqueue_on_commit
from bvntd.core.text import fold
from bvntd.geo.models import Commune, Province

from . import registry
from .importing import MAX_FILE_BYTES, BusinessRow, FileError, Lookups, read_rows, validate_row
from .models import Business, BusinessEventKind, BusinessImport, ImportRowError, ImportStatus
from .portal import require_inviter

BATCH_ROWS = 500
PREVIEW_ROWS = 20
ACCEPTED_EXTENSIONS = (".csv", ".xlsx")


def _prefixless(name: str) -> str:
    folded = fold(name)
    for prefix in ("thanh pho ", "tinh ", "phuong ", "xa ", "dac khu "):
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def build_lookups() -> Lookups:
    """Names and codes of the current map's provinces and communes, and the sector codes."""
    provinces: dict[str, str] = {}
    for code, name, full in Province.objects.filter(valid_to__isnull=True).values_list(
        "code", "name", "full_name"
    ):
        provinces.update({code: code, fold(name): code, fold(full): code, _prefixless(full): code})
    communes: dict[tuple[str, str], str] = {}
    current = Commune.objects.filter(valid_to__isnull=True).values_list(
        "code", "province_id", "name", "full_name"
    )
    for code, province, name, full in current:
        for key in (code, fold(name), fold(full), _prefixless(full)):
            communes[(province, key)] = code
    return Lookups(
        provinces=provinces, communes=communes, sectors=set(Sector.objects.values_list("code", flat=True))
    )


@transaction.atomic
def import_upload(*, upload, actor, now: dt.datetime) -> BusinessImport:
    """Keep an uploaded file for its preview. A file that cannot be read (wrong format, broken, no name
    column) is refused here, on the upload form, and nothing is stored."""
    require_inviter(actor)
    name = (getattr(upload, "name", "") or "").strip()
    if not name.lower().endswith(ACCEPTED_EXTENSIONS):
        raise FieldErrors(
            [
                FieldError(
                    "file", _("Chỉ nhận tệp CSV (.csv) hoặc Excel (.xlsx); tệp .xls hãy lưu lại thành .xlsx.")
                )
            ]
        )
    if upload.size > MAX_FILE_BYTES:
        raise FieldErrors([FieldError("file", _("Tệp quá lớn (tối đa 20 MB)."))])
    _check_readable(name, upload)
    return BusinessImport.objects.create(
        file=upload, original_name=name[:200], uploaded_by=actor, created_at=now
    )


def _check_readable(name: str, upload) -> None:
    """`read_rows` checks the format and the header row before it returns; the rows themselves are read only
    by the preview and the run."""
    try:
        rows = read_rows(name, upload)
        rows.close()
    except FileError as error:
        raise FieldErrors([FieldError("file", error.message)]) from None
    finally:
        upload.seek(0)


def import_preview(batch: BusinessImport, limit: int = PREVIEW_ROWS) -> tuple[list[BusinessRow], list]:
    """The first rows as they would be imported, and their errors; a file that cannot be read fails here."""
    lookups = build_lookups()
    good, errors = [], []
    try:
        with batch.file.open("rb") as handle:
            for number, raw in itertools.islice(read_rows(batch.original_name, handle), limit):
                row, problems = validate_row(number, raw, lookups)
                if row is not None:
                    good.append(row)
                errors += problems
    except FileError as error:
        _fail(batch, error.message)
        raise DomainError(error.message) from None
    return good, errors


@transaction.atomic
def import_confirm(*, batch: BusinessImport, actor, now: dt.datetime) -> BusinessImport:
    require_inviter(actor)
    if (
        BusinessImport.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEW).update(
            status=ImportStatus.QUEUED
        )
        != 1
    ):
        raise DomainError(_("Tệp này đã được xác nhận hoặc đã hủy."))
    batch.status = ImportStatus.QUEUED
    from .tasks import run_import

    enqueue_on_commit(run_import, batch_id=batch.pk)
    return batch


@transaction.atomic
def import_cancel(*, batch: BusinessImport, actor, now: dt.datetime) -> BusinessImport:
    require_inviter(actor)
    if (
        BusinessImport.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEW).update(
            status=ImportStatus.CANCELLED, finished_at=now
        )
        != 1
    ):
        raise DomainError(_("Chỉ hủy được tệp đang chờ xác nhận."))
    batch.status = ImportStatus.CANCELLED
    return batch


def _fail(batch: BusinessImport, message: str) -> None:
    BusinessImport.objects.filter(pk=batch.pk).update(
        status=ImportStatus.FAILED, message=message, finished_at=timezone.now()
    )


def import_run(*, batch_id: int) -> BusinessImport:
    """Import every good row, BATCH_ROWS per transaction, saving progress after each; a run that stopped
    (a worker restarted) resumes after the last saved row."""
    claimed = BusinessImport.objects.filter(
        pk=batch_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
    ).update(status=ImportStatus.RUNNING)
    batch = BusinessImport.objects.get(pk=batch_id)
    if claimed != 1:
        return batch
    lookups = build_lookups()
    try:
        with batch.file.open("rb") as handle:
            rows = itertools.islice(read_rows(batch.original_name, handle), batch.processed_rows, None)
            while chunk := list(itertools.islice(rows, BATCH_ROWS)):
                _import_chunk(batch, chunk, lookups)
    except FileError as error:
        _fail(
            batch,
            _("Đã nhập %(n)s dòng đầu; phần còn lại lỗi: %(error)s")
            % {"n": batch.processed_rows, "error": error.message},
        )
        batch.refresh_from_db()
        return batch
    BusinessImport.objects.filter(pk=batch.pk).update(status=ImportStatus.DONE, finished_at=timezone.now())
    batch.refresh_from_db()
    return batch


@transaction.atomic
def _import_chunk(batch: BusinessImport, chunk: list, lookups: Lookups) -> None:
    now = timezone.now()
    created = updated = 0
    errors: list[ImportRowError] = []
    for number, raw in chunk:
        row, problems = validate_row(number, raw, lookups)
        if row is None:
            errors += [
                ImportRowError(batch=batch, row=p.row, field=p.field, message=p.message, value=p.value)
                for p in problems
            ]
            continue
        try:
            with transaction.atomic():
                was_created = _store(row, batch.uploaded_by, now)
        except FieldErrors as error:
            errors += [
                ImportRowError(batch=batch, row=number, field=e.field or "", message=e.message)
                for e in error.errors
            ]
            continue
        created += was_created
        updated += not was_created
    ImportRowError.objects.bulk_create(errors)
    batch.processed_rows += len(chunk)
    batch.created_count += created
    batch.updated_count += updated
    batch.error_count += len({e.row for e in errors})
    BusinessImport.objects.filter(pk=batch.pk).update(
        processed_rows=batch.processed_rows,
        created_count=batch.created_count,
        updated_count=batch.updated_count,
        error_count=batch.error_count,
    )


def _store(row: BusinessRow, actor, now: dt.datetime) -> bool:
    """Create the business, or complete the one with the same tax code (new names, empty fields filled)."""
    existing = Business.objects.with_tax_code(row.tax_code).first() if row.tax_code else None
    if existing is None:
        registry.business_create(
            actor=actor,
            now=now,
            name=row.name,
            tax_code=row.tax_code,
            province_id=row.province_code or None,
            commune_id=row.commune_code or None,
            address=row.address,
            sector_id=row.sector_code or None,
            website=row.website,
            aliases=row.aliases,
            shops=row.shops,
            event=BusinessEventKind.IMPORTED,
        )
        return True
    business = registry.active(existing)
    fill = {
        field: value
        for field, value in (
            ("province_id", row.province_code),
            ("commune_id", row.commune_code),
            ("address", row.address),
            ("sector_id", row.sector_code),
            ("website", row.website),
        )
        if value and not getattr(business, field)
    }
    registry.business_update(
        business=business, actor=actor, now=now, aliases=(row.name, *row.aliases), shops=row.shops, **fill
    )
    return False
