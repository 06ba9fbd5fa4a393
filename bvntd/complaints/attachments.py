"""Attachments: photos and PDFs, checked by their content (magic bytes), never by their name."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from bvntd.core.errors import FieldError, FieldErrors

# (signature test, content type, extension)
SIGNATURES = (
    (lambda b: b.startswith(b"\xff\xd8\xff"), "image/jpeg", "jpg"),
    (lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"), "image/png", "png"),
    (lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP", "image/webp", "webp"),
    (lambda b: b.startswith(b"%PDF-"), "application/pdf", "pdf"),
)


@dataclass(frozen=True)
class UploadedAttachment:
    name: str
    content: bytes
    content_type: str
    extension: str


def sniff(content: bytes) -> tuple[str, str] | None:
    for test, content_type, extension in SIGNATURES:
        if test(content[:16]):
            return content_type, extension
    return None


def check_uploads(files, *, field: str = "attachments") -> list[UploadedAttachment]:
    """Read and check uploaded files (Django `UploadedFile`s). Raises FieldErrors naming each bad file."""
    limit = settings.BVNTD["ATTACHMENT_MAX_BYTES"]
    per_upload = settings.BVNTD["ATTACHMENTS_PER_UPLOAD"]
    errors: list[FieldError] = []
    checked: list[UploadedAttachment] = []
    if len(files) > per_upload:
        raise FieldErrors([FieldError(field, _("Tối đa %(n)s tệp mỗi lần gửi.") % {"n": per_upload})])
    for upload in files:
        name = (upload.name or "tep")[-200:]
        if upload.size > limit:
            errors.append(
                FieldError(
                    field,
                    _("Tệp “%(name)s” vượt quá %(mb)s MB.") % {"name": name, "mb": limit // (1024 * 1024)},
                )
            )
            continue
        content = upload.read()
        kind = sniff(content)
        if kind is None:
            errors.append(
                FieldError(
                    field, _("Tệp “%(name)s” không phải ảnh (JPEG, PNG, WebP) hoặc PDF.") % {"name": name}
                )
            )
            continue
        checked.append(UploadedAttachment(name, content, *kind))
    if errors:
        raise FieldErrors(errors)
    return checked


def store_attachments(
    *, complaint, files: Sequence[UploadedAttachment], now, by_consumer: bool, message=None
):
    from .models import Attachment

    for upload in files:
        digest = hashlib.sha256(upload.content).hexdigest()
        attachment = Attachment(
            complaint=complaint,
            message=message,
            original_name=upload.name,
            content_type=upload.content_type,
            extension=upload.extension,
            size=len(upload.content),
            sha256=digest,
            uploaded_by_consumer=by_consumer,
            created_at=now,
        )
        attachment.file.save(f"{digest}.{upload.extension}", ContentFile(upload.content), save=False)
        attachment.save()
