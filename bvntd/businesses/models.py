"""The business registry, the business stage of a complaint (the business answers first), mediation with its
settlement and promises, mass-complaint alerts, and the business API's tokens."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# --- the registry -------------------------------------------------------------------------------------


class BusinessQuerySet(models.QuerySet):
    def with_tax_code(self, tax_code: str):
        # The second condition repeats the partial unique index's own (tax_code <> ''), which SQLite's
        # planner needs before it will use that index; no ordering, so no sort for a single row.
        return self.filter(tax_code=tax_code).exclude(tax_code="").order_by()


class Business(models.Model):
    # Compact tax code (stdnum.vn.mst: 10 digits, or 13 for a branch); "" when unknown.
    tax_code = models.CharField(max_length=13, blank=True)
    name = models.CharField(max_length=300)
    # names.name_key(name): folded, without legal forms; the matcher's exact key.
    name_key = models.CharField(max_length=300, db_index=True)
    province = models.ForeignKey(
        "geo.Province", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        "geo.Commune", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(max_length=500, blank=True)
    sector = models.ForeignKey("agencies.Sector", null=True, blank=True, on_delete=models.PROTECT)
    website = models.URLField(max_length=300, blank=True)
    # A duplicate merged into another record points at it and stays, so old links and audits still resolve.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_duplicates"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    objects = BusinessQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            # One record per tax code (a branch has its own 13-digit code).
            models.UniqueConstraint(fields=["tax_code"], condition=~Q(tax_code=""), name="business_tax_code"),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("pk")), name="business_not_merged_into_self"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.merged_into_id is None


class NameKind(models.TextChoices):
    LEGAL = "legal", _("Tên chính thức")
    ALIAS = "alias", _("Tên khác, tên viết tắt")
    SHOP = "shop", _("Gian hàng thương mại điện tử")


class BusinessName(models.Model):
    """Every name a business is known by, its legal name included: the table the matcher searches."""

    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=300)
    key = models.CharField(max_length=300, db_index=True)
    kind = models.CharField(max_length=10, choices=NameKind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["business", "key"], name="business_name_once")]

    def __str__(self) -> str:
        return self.name


class BusinessEventKind(models.TextChoices):
    CREATED = "created", _("Tạo hồ sơ doanh nghiệp")
    UPDATED = "updated", _("Cập nhật thông tin")
    IMPORTED = "imported", _("Nhập từ tệp")
    MERGED = "merged", _("Gộp hồ sơ trùng")
    INVITED = "invited", _("Mời người dùng doanh nghiệp")
    USER_JOINED = "user_joined", _("Người dùng doanh nghiệp nhận lời mời")
    TOKEN_ISSUED = "token_issued", _("Cấp khóa API")
    TOKEN_REVOKED = "token_revoked", _("Thu hồi khóa API")


class BusinessEvent(models.Model):
    """The registry's audit trail: one row per change, never edited."""

    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=BusinessEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.business_id} {self.kind}"


# --- the business's people and systems ---------------------------------------------------------------


class BusinessMember(models.Model):
    """A person who answers complaints for one business (invited by an agency)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="business_membership"
    )
    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="members")
    invitation = models.OneToOneField("BusinessInvitation", null=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user} · {self.business}"


class BusinessInvitation(models.Model):
    """A one-time link for a business representative. Only the token's hash is stored."""

    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email} → {self.business}"


class BusinessApiToken(models.Model):
    """A token for a business's own systems (`/api/v1/business/...`). Only its SHA-256 is stored."""

    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ApiRateWindow(models.Model):
    """Requests per token per minute, counted in the database so every web worker shares the count."""

    token = models.ForeignKey(BusinessApiToken, on_delete=models.CASCADE, related_name="+")
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "window_start"], name="api_rate_window_once")]

    def __str__(self) -> str:
        return f"{self.token_id} {self.window_start:%H:%M} {self.count}"


# --- the business stage ------------------------------------------------------------------------------


class ReferralStatus(models.TextChoices):
    WAITING = "waiting", _("Chờ doanh nghiệp trả lời")
    IN_PROGRESS = "in_progress", _("Doanh nghiệp đang giải quyết")
    ANSWERED = "answered", _("Đã trả lời, chờ người tiêu dùng")
    ACCEPTED = "accepted", _("Người tiêu dùng đồng ý")
    LAPSED = "lapsed", _("Người tiêu dùng không phản hồi; coi như đồng ý")
    DISPUTED = "disputed", _("Người tiêu dùng không đồng ý")
    REFUSED = "refused", _("Doanh nghiệp từ chối")
    SILENT = "silent", _("Doanh nghiệp không trả lời đúng hạn")
    TAKEN_OVER = "taken_over", _("Cơ quan tiếp nhận giải quyết")
    WITHDRAWN = "withdrawn", _("Người tiêu dùng rút yêu cầu")


REFERRAL_OPEN = frozenset({ReferralStatus.WAITING, ReferralStatus.IN_PROGRESS, ReferralStatus.ANSWERED})


class Referral(models.Model):
    """One complaint's business stage: sent to the business first, with its own clock."""

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="referral"
    )
    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.WAITING)
    priority = models.BooleanField(default=False)
    sent_at = models.DateTimeField()
    # The business's answer is due by this time (Law 19/2023 Art.57(2)); kept after the stage ends, so the
    # scorecard can say whether the first answer came on time.
    answer_due_at = models.DateTimeField()
    first_answer_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Money the business agreed to return, once the consumer accepted the answer.
    relief_vnd = models.BigIntegerField(null=True, blank=True)
    handed_to = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            # The business's portal and API: its open cases by due date.
            models.Index(fields=["business", "status", "answer_due_at"], name="referral_portal"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} → {self.business_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in REFERRAL_OPEN


class AnswerKind(models.TextChoices):
    # The structured answer of the CFPB company portal, in Vietnamese terms.
    MONETARY = "monetary", _("Đã giải quyết: hoàn tiền, bồi thường")
    NON_MONETARY = "non_monetary", _("Đã giải quyết: đổi, sửa chữa, bảo hành hoặc khắc phục khác")
    EXPLANATION = "explanation", _("Đã giải thích cho người tiêu dùng")
    IN_PROGRESS = "in_progress", _("Đang giải quyết (hẹn ngày trả lời)")
    REFUSED = "refused", _("Từ chối yêu cầu (nêu lý do)")


FINAL_ANSWERS = frozenset({AnswerKind.MONETARY, AnswerKind.NON_MONETARY, AnswerKind.EXPLANATION})


class BusinessAnswer(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="answers")
    kind = models.CharField(max_length=15, choices=AnswerKind.choices)
    body = models.TextField()
    amount_vnd = models.BigIntegerField(null=True, blank=True)
    expected_on = models.DateField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    via = models.CharField(max_length=10)  # "portal" or "api"
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=AnswerKind.MONETARY) | Q(amount_vnd__gt=0), name="answer_monetary_amount"
            ),
            models.CheckConstraint(
                condition=~Q(kind=AnswerKind.IN_PROGRESS) | Q(expected_on__isnull=False),
                name="answer_in_progress_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.kind}"


# --- mediation ---------------------------------------------------------------------------------------


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Đã lên lịch")
    HELD = "held", _("Đã hòa giải")
    CANCELLED = "cancelled", _("Đã hủy")


class MediationSession(models.Model):
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.PROTECT, related_name="mediations")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    scheduled_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    online_link = models.URLField(max_length=500, blank=True)
    participants = models.TextField()  # one per line: name and role
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    minutes = models.TextField(blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["complaint", "number"], name="mediation_number_once")]

    def __str__(self) -> str:
        return f"{self.complaint_id} #{self.number}"

    @property
    def participant_lines(self) -> list[str]:
        return [line.strip() for line in self.participants.splitlines() if line.strip()]


class Settlement(models.Model):
    """What the two sides agreed at a mediation session."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="settlements"
    )
    session = models.OneToOneField(MediationSession, on_delete=models.PROTECT, related_name="settlement")
    summary = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.complaint_id} settlement"


class Party(models.TextChoices):
    BUSINESS = "business", _("Doanh nghiệp")
    CONSUMER = "consumer", _("Người tiêu dùng")


class PromiseStatus(models.TextChoices):
    PENDING = "pending", _("Chưa đến hạn / chờ thực hiện")
    KEPT = "kept", _("Đã thực hiện")
    BROKEN = "broken", _("Không thực hiện")


class Promise(models.Model):
    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, related_name="promises")
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.PROTECT, related_name="promises")
    party = models.CharField(max_length=10, choices=Party.choices)
    description = models.CharField(max_length=500)
    amount_vnd = models.BigIntegerField(null=True, blank=True)
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=PromiseStatus.choices, default=PromiseStatus.PENDING)
    due_soon_noted = models.BooleanField(default=False)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            # The sweep: pending promises by due date.
            models.Index(fields=["status", "due_on"], name="promise_sweep"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.party} {self.due_on}"


# --- mass-complaint alerts ---------------------------------------------------------------------------


class Fingerprint(models.Model):
    """A complaint's MinHash signature and the key of the business it is about, for near-duplicate search."""

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.CASCADE, primary_key=True, related_name="fingerprint"
    )
    # "b:<business id>" when the business is registered, else "n:<name key>".
    business_key = models.CharField(max_length=320)
    received_at = models.DateTimeField()
    signature = models.BinaryField()

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.business_key}"


class FingerprintBand(models.Model):
    """One LSH band of a signature: complaints sharing a band with the same business are candidates."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="+")
    business_key = models.CharField(max_length=320)
    band = models.CharField(max_length=24)
    received_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["business_key", "band", "received_at"], name="fingerprint_band_lookup")
        ]

    def __str__(self) -> str:
        return self.band


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Đang mở")
    ACKNOWLEDGED = "acknowledged", _("Đã tiếp nhận xử lý")
    CLOSED = "closed", _("Đã đóng")


class MassAlert(models.Model):
    """Many similar complaints about one business within a window: a signal for market surveillance."""

    business_key = models.CharField(max_length=320)
    business = models.ForeignKey(
        Business, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts"
    )
    business_name = models.CharField(max_length=300)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=15, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    sample_text = models.TextField()
    complaints = models.ManyToManyField("complaints.Complaint", related_name="mass_alerts")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            # One live alert per business: two workers completing a cluster at once cannot open two.
            models.UniqueConstraint(
                fields=["business_key"],
                condition=Q(status__in=["open", "acknowledged"]),
                name="mass_alert_one_live_per_business",
            )
        ]

    def __str__(self) -> str:
        return f"{self.business_name} ({self.status})"


# --- import ------------------------------------------------------------------------------------------


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Chờ xác nhận")
    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang nhập")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi tệp")
    CANCELLED = "cancelled", _("Đã hủy")


class BusinessImport(models.Model):
    file = models.FileField(upload_to="imports/businesses/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW)
    message = models.TextField(blank=True)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name


class ImportRowError(models.Model):
    batch = models.ForeignKey(BusinessImport, on_delete=models.CASCADE, related_name="row_errors")
    row = models.PositiveIntegerField()
    field = models.CharField(max_length=30, blank=True)
    message = models.TextField()
    value = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["row", "pk"]

    def __str__(self) -> str:
        return f"{self.row}: {self.message}"
