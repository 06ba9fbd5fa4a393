"""The complaint (hồ sơ khiếu nại), its event history, messages, attachments and idempotency keys."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bvntd.core.fields import EncryptedTextField

from .states import FINAL, OPEN, DueKind, Outcome, RejectReason, Status


class Channel(models.TextChoices):
    WEB = "web", _("Cổng trực tuyến")
    HOTLINE = "hotline", _("Tổng đài")
    API = "api", _("API")


class VulnerableGroup(models.TextChoices):
    # Law 19/2023 Art.8(1), points a to g.
    ELDERLY = "elderly", _("Người cao tuổi")
    DISABILITY = "disability", _("Người khuyết tật")
    CHILD = "child", _("Trẻ em")
    ETHNIC_REMOTE = (
        "ethnic_remote",
        _("Người dân tộc thiểu số; người sống ở miền núi, hải đảo, vùng đặc biệt khó khăn"),
    )
    PREGNANT = "pregnant", _("Phụ nữ mang thai hoặc nuôi con dưới 36 tháng tuổi")
    ILLNESS = "illness", _("Người mắc bệnh hiểm nghèo")
    POOR = "poor", _("Thành viên hộ nghèo")


class VulnerableStatus(models.TextChoices):
    DECLARED = "declared", _("Người tiêu dùng tự khai")
    EVIDENCED = "evidenced", _("Người tiêu dùng khai, có giấy tờ kèm theo")
    CONFIRMED = "confirmed", _("Cán bộ đã xác nhận")


# Law 19/2023 Art.8: with evidence of vulnerability, the business gives priority.
PRIORITY_STATUSES = frozenset({VulnerableStatus.EVIDENCED, VulnerableStatus.CONFIRMED})


class ComplaintQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN)

    def overdue(self, now):
        return self.open().filter(due_at__lt=now)

    def due_soon(self, now, until):
        return self.open().filter(due_at__gte=now, due_at__lt=until)


class Complaint(models.Model):
    tracking_code = models.CharField(max_length=14)  # unique: see Meta (no extra LIKE index)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    # ARCHITECTURE rule 1: every complaint is owned by exactly one agency, from intake to closing.
    # Write cost at national scale (docs/performance.md): no index of its own where a composite index
    # starts with the column (owner_agency: complaint_inbox; province: complaint_province_time), none for
    # reference rows that are never deleted and never searched alone (commune, business province, sector).
    owner_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="complaints", db_index=False
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sector = models.ForeignKey(
        "agencies.Sector", null=True, blank=True, on_delete=models.PROTECT, db_index=False
    )

    # The consumer. Personal data is encrypted at rest (Law 91/2025/QH15); phone and e-mail are found
    # through keyed blind indexes, never by decrypting.
    consumer_name = EncryptedTextField()
    phone = EncryptedTextField(blank=True)
    email = EncryptedTextField(blank=True)
    address = EncryptedTextField(blank=True)
    phone_index = models.CharField(max_length=64, blank=True)
    email_index = models.CharField(max_length=64, blank=True)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+", db_index=False)
    commune = models.ForeignKey(
        "geo.Commune", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    # The business complained about.
    business_name = models.CharField(max_length=300)
    business_tax_code = models.CharField(max_length=14, blank=True)
    business_address = models.CharField(max_length=500, blank=True)
    # Where the business is, when the consumer knows and it differs from where they live: that
    # province's agency is asked for support (issue 3).
    business_province = models.ForeignKey(
        "geo.Province", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # The registered business, once matched (exact tax code at intake, or confirmed by staff).
    business = models.ForeignKey(
        "businesses.Business", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )

    # The matter.
    description = models.TextField()
    amount_vnd = models.BigIntegerField(null=True, blank=True)
    purchased_on = models.DateField(null=True, blank=True)
    desired_outcome = models.TextField(blank=True)
    contacted_business = models.BooleanField(null=True)
    consent_at = models.DateTimeField()
    # The consumer agrees that the case counts in the business's public scorecard (no personal data).
    publish_consent = models.BooleanField(default=False)
    # Law 19/2023 Art.8: a vulnerable consumer. The group is sensitive personal data (Decree 13/2023), so it
    # is encrypted and recorded only from what the consumer declares; staff confirm it. The business sees
    # only the priority, never the group.
    vulnerable_group = EncryptedTextField(blank=True)
    vulnerable_status = models.CharField(max_length=10, choices=VulnerableStatus.choices, blank=True)
    # Folded (lower-case, no diacritics) description and business name, for search with or without diacritics.
    search_text = models.TextField(blank=True)

    # Outcome.
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_summary = models.TextField(blank=True)
    reject_reason = models.CharField(max_length=20, choices=RejectReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consumer_rating = models.PositiveSmallIntegerField(null=True, blank=True)

    # The clock (ARCHITECTURE rule 4): the due date is stored when a clock starts, lateness is derived.
    due_kind = models.CharField(max_length=20, choices=DueKind.choices, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    calendar_version = models.CharField(max_length=60, blank=True)
    resolve_due_at = models.DateTimeField(null=True, blank=True)
    # Working days left on the resolve clock while it is paused for the consumer's information.
    paused_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    extended = models.BooleanField(default=False)
    # The sweep records "due soon" and "overdue" once per due date: it stores the due date it warned about.
    due_soon_noted_for = models.DateTimeField(null=True, blank=True)
    overdue_noted_for = models.DateTimeField(null=True, blank=True)

    received_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    dispute_until = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()
    # Optimistic lock (ARCHITECTURE rule 7): every write is a compare-and-swap on this number.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tracking_code"], name="complaint_tracking_code"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="complaint_status_valid"),
            models.CheckConstraint(
                condition=Q(amount_vnd__isnull=True) | Q(amount_vnd__gte=0, amount_vnd__lte=10**13),
                name="complaint_amount_range",
            ),
            models.CheckConstraint(condition=~Q(phone="") | ~Q(email=""), name="complaint_has_contact"),
        ]
        indexes = [
            # The inbox, first page without a sort (docs/performance.md): an agency's open cases in the
            # inbox order (due date, newest first among equals), walked and stopped after a page...
            models.Index(
                fields=["owner_agency", "due_at", "-id"],
                condition=Q(status__in=sorted(OPEN)),
                name="complaint_inbox_open",
            ),
            # ... the same for one status filter ...
            models.Index(fields=["owner_agency", "status", "due_at", "-id"], name="complaint_inbox"),
            # ... and every agency's (the national view); the deadline sweep reads it too.
            models.Index(
                fields=["due_at", "-id"], condition=Q(status__in=sorted(OPEN)), name="complaint_open_due"
            ),
            # Resolved cases whose dispute window has passed: the sweep closes them. (A plain (status,
            # due_at) index used to serve the sweep; PostgreSQL also took it for the inbox search's status
            # test and read a third of a million entries: docs/performance.md.)
            models.Index(
                fields=["dispute_until"], condition=Q(status=Status.RESOLVED), name="complaint_dispute_window"
            ),
            models.Index(fields=["province", "received_at"], name="complaint_province_time"),
            # Blind indexes are matched exactly: plain b-trees (Django's db_index would add a LIKE index).
            models.Index(fields=["phone_index"], name="complaint_phone"),
            models.Index(fields=["email_index"], name="complaint_email"),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_final(self) -> bool:
        return self.status in FINAL

    @property
    def is_priority(self) -> bool:
        return self.vulnerable_status in PRIORITY_STATUSES


class EventKind(models.TextChoices):
    CREATED = "created", _("Tiếp nhận hồ sơ")
    ACCEPTED = "accepted", pgettext_lazy("event", "Thụ lý")
    STARTED = "started", pgettext_lazy("event", "Bắt đầu xử lý")
    INFO_REQUESTED = "info_requested", _("Yêu cầu bổ sung thông tin")
    INFO_PROVIDED = "info_provided", _("Người tiêu dùng bổ sung thông tin")
    REASSIGNED = "reassigned", _("Chuyển cơ quan xử lý")
    OFFICER_ASSIGNED = "officer_assigned", pgettext_lazy("event", "Phân công cán bộ")
    EXTENDED = "extended", _("Gia hạn giải quyết")
    RESOLVED = "resolved", _("Có kết quả giải quyết")
    REJECTED = "rejected", pgettext_lazy("event", "Từ chối thụ lý")
    WITHDRAWN = "withdrawn", pgettext_lazy("event", "Người tiêu dùng rút yêu cầu")
    DISPUTED = "disputed", _("Người tiêu dùng không đồng ý kết quả")
    RATED = "rated", _("Người tiêu dùng đánh giá kết quả")
    CLOSED = "closed", pgettext_lazy("event", "Đóng hồ sơ")
    NOTE = "note", _("Ghi chú nội bộ")
    MESSAGE = "message", pgettext_lazy("event", "Tin nhắn gửi người tiêu dùng")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    PII_REVEALED = "pii_revealed", _("Xem thông tin cá nhân")
    TRANSFER_PROPOSED = "transfer_proposed", _("Đề nghị chuyển cơ quan")
    TRANSFER_ACCEPTED = "transfer_accepted", _("Cơ quan nhận đồng ý tiếp nhận")
    TRANSFER_AUTO_ACCEPTED = "transfer_auto_accepted", _("Coi như đồng ý tiếp nhận (không trả lời đúng hạn)")
    TRANSFER_CONTESTED = "transfer_contested", _("Cơ quan nhận không đồng ý; chuyển điều phối")
    TRANSFER_TO_ARBITER = "transfer_to_arbiter", _("Chuyển lần thứ hai; chuyển điều phối")
    TRANSFER_DECIDED = "transfer_decided", _("Quyết định điều phối")
    TRANSFER_WITHDRAWN = "transfer_withdrawn", _("Rút đề nghị chuyển")
    TASK_REQUESTED = "task_requested", _("Đề nghị cơ quan phối hợp")
    TASK_ANSWERED = "task_answered", _("Cơ quan phối hợp trả lời")
    BUSINESS_LINKED = "business_linked", _("Xác định doanh nghiệp bị khiếu nại")
    VULNERABLE_CONFIRMED = "vulnerable_confirmed", _("Xác nhận người tiêu dùng dễ bị tổn thương")
    SENT_TO_BUSINESS = "sent_to_business", _("Chuyển doanh nghiệp giải quyết trước")
    BUSINESS_ANSWERED = "business_answered", _("Doanh nghiệp trả lời")
    BUSINESS_HANDED_OVER = "business_handed_over", _("Doanh nghiệp giao bên thứ ba xử lý")
    BUSINESS_SILENT = "business_silent", _("Doanh nghiệp không trả lời đúng hạn; chuyển cơ quan")
    BUSINESS_REFUSED = "business_refused", _("Doanh nghiệp từ chối; chuyển cơ quan")
    ANSWER_ACCEPTED = "answer_accepted", _("Người tiêu dùng đồng ý với câu trả lời của doanh nghiệp")
    ANSWER_DISPUTED = "answer_disputed", _("Người tiêu dùng không đồng ý với câu trả lời; chuyển cơ quan")
    ANSWER_LAPSED = "answer_lapsed", _("Hết hạn phản hồi câu trả lời; đóng hồ sơ")
    AGENCY_TOOK_OVER = "agency_took_over", _("Cơ quan tiếp nhận giải quyết")
    MEDIATION_SCHEDULED = "mediation_scheduled", _("Lên lịch hòa giải")
    MEDIATION_HELD = "mediation_held", _("Ghi biên bản hòa giải")
    MEDIATION_CANCELLED = "mediation_cancelled", _("Hủy phiên hòa giải")
    SETTLEMENT_RECORDED = "settlement_recorded", _("Ghi nhận thỏa thuận hòa giải")
    PROMISE_DUE_SOON = "promise_due_soon", _("Cam kết sắp đến hạn")
    PROMISE_KEPT = "promise_kept", _("Cam kết đã được thực hiện")
    PROMISE_BROKEN = "promise_broken", _("Cam kết không được thực hiện; mở lại hồ sơ")
    MASS_ALERT = "mass_alert", _("Thuộc cảnh báo khiếu nại hàng loạt")


class ComplaintEvent(models.Model):
    """One row per change: the audit trail and the source for reports. Append-only (a trigger refuses
    UPDATE and DELETE on both SQLite and PostgreSQL; see migration 0002)."""

    # No index of its own: event_timeline (complaint, created_at) serves it (one index less per write).
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events", db_index=False)
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    created_at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    # "consumer" or "system" when no staff user acted.
    actor_label = models.CharField(max_length=20, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    from_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)
    # The due date this event set (a clock started, paused, resumed or extended); null when unchanged.
    due_at = models.DateTimeField(null=True, blank=True)
    # Shown in the consumer's public timeline.
    public = models.BooleanField(default=False)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["complaint", "created_at"], name="event_timeline")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class MessageKind(models.TextChoices):
    NOTE = "note", _("Ghi chú nội bộ")
    TO_CONSUMER = "to_consumer", _("Gửi người tiêu dùng")
    FROM_CONSUMER = "from_consumer", _("Từ người tiêu dùng")


class Message(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Never the user's file name on disk: the content hash, under the case.
    return f"complaints/{instance.complaint.tracking_code}/{instance.sha256}.{instance.extension}"


class Attachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.PROTECT, related_name="files"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    extension = models.CharField(max_length=5)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by_consumer = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.original_name


class IdempotencyKey(models.Model):
    """`Idempotency-Key` of an API intake: the same key and body give the same complaint."""

    key = models.CharField(max_length=100, unique=True)
    request_hash = models.CharField(max_length=64)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key


class LookupFailure(models.Model):
    """A failed look-up of a case by tracking code and contact, for throttling guessers. The client is kept
    only as a keyed hash of its address (no personal data at rest)."""

    client_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        # lookup_blocked: a client's failures within the window.
        indexes = [models.Index(fields=["client_hash", "created_at"], name="lookup_failure_window")]

    def __str__(self) -> str:
        return f"{self.client_hash[:8]}… {self.created_at:%Y-%m-%d %H:%M}"
