"""Routing: who is competent for what (the competence matrix, data and not code), and the sector model
that reads a complaint and suggests its sector."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class CompetenceRule(models.Model):
    """Sector × province (× commune where a province delegates) → the lead agency, with supporting agencies
    for joint handling. Effective-dated: an edit closes the rule in force and opens a new one, so history
    stays and the owner of an open case is never rewritten (it is stored on the case)."""

    sector = models.ForeignKey("agencies.Sector", on_delete=models.PROTECT, related_name="competence_rules")
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="competence_rules")
    # Null: the whole province. Set: a commune where the province delegates (Decree 139/2025 moved
    # district tasks to communes).
    commune = models.ForeignKey(
        "geo.Commune", null=True, blank=True, on_delete=models.PROTECT, related_name="competence_rules"
    )
    lead_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="lead_rules")
    supporting_agencies = models.ManyToManyField(
        "agencies.Agency", blank=True, related_name="supporting_rules"
    )
    legal_basis = models.CharField(_("Căn cứ pháp lý"), max_length=300, blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="competence_rule_period_valid",
            ),
            # One open rule per sector and place: the matrix never has two answers at once.
            models.UniqueConstraint(
                fields=["sector", "province", "commune"],
                condition=Q(valid_to__isnull=True, commune__isnull=False),
                name="competence_rule_one_open_per_commune",
            ),
            models.UniqueConstraint(
                fields=["sector", "province"],
                condition=Q(valid_to__isnull=True, commune__isnull=True),
                name="competence_rule_one_open_per_province",
            ),
        ]
        indexes = [
            # resolve_competence: the rule for a sector and a place on a date.
            models.Index(fields=["sector", "province", "valid_from"], name="competence_rule_lookup"),
        ]

    def __str__(self) -> str:
        place = self.commune_id or self.province_id
        return f"{self.sector_id} @ {place} → {self.lead_agency} ({self.valid_from}–{self.valid_to or '…'})"


class RouterModel(models.Model):
    """A trained sector model. The pickled pipeline is stored here so every web worker, on any machine,
    loads the same version; the app writes it (train_router), nothing is loaded from outside."""

    version = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField()
    is_active = models.BooleanField(default=False)
    training_rows = models.JSONField(default=dict)  # {"seed": n, "cases": n}
    metrics = models.JSONField(default=dict)  # held-out accuracy, top-2, macro-F1
    blob = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="router_one_active"
            ),
        ]

    def __str__(self) -> str:
        return self.version


class SectorSuggestion(models.Model):
    """What the model suggested for a complaint at intake, with the model version and why."""

    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="sector_suggestion"
    )
    model_version = models.CharField(max_length=40)
    sector = models.ForeignKey("agencies.Sector", on_delete=models.PROTECT, related_name="+")
    confidence = models.FloatField()
    alternatives = models.JSONField(default=list)  # [{"sector", "confidence"}]
    top_terms = models.JSONField(default=list)  # the words that weighed most for the suggestion
    flags = models.JSONField(default=list)  # e.g. ["health_risk", "vulnerable", "foreign_seller"]
    routed = models.BooleanField()  # True: it set the owner; False: sent to the coordinator's triage
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.sector_id} ({self.confidence:.2f})"


class TransferReason(models.TextChoices):
    OUTSIDE_SECTOR = "outside_sector", _("Ngoài lĩnh vực quản lý")
    OUTSIDE_TERRITORY = "outside_territory", _("Ngoài địa bàn")
    DUPLICATE = "duplicate", _("Trùng với hồ sơ khác")
    COURT_OR_ARBITRATION = "court_or_arbitration", _("Thuộc thẩm quyền Tòa án hoặc trọng tài")


class TransferStatus(models.TextChoices):
    PROPOSED = "proposed", _("Chờ cơ quan nhận trả lời")
    ACCEPTED = "accepted", _("Cơ quan nhận đã đồng ý")
    AUTO_ACCEPTED = "auto_accepted", _("Coi như đồng ý (quá hạn trả lời)")
    ARBITRATION = "arbitration", _("Chờ cơ quan điều phối quyết định")
    DECIDED = "decided", _("Đã có quyết định điều phối")
    WITHDRAWN = "withdrawn", _("Cơ quan chuyển đã rút đề nghị")


OPEN_TRANSFER = (TransferStatus.PROPOSED, TransferStatus.ARBITRATION)


class Transfer(models.Model):
    """A proposal to hand a case to another agency. The sender owns the case until the target accepts (or
    stays silent past its deadline), or the arbiter decides; the consumer's clock runs throughout."""

    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.PROTECT, related_name="transfers")
    from_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="incoming_transfers"
    )
    reason_code = models.CharField(max_length=30, choices=TransferReason.choices)
    legal_basis = models.TextField()
    duplicate_of = models.ForeignKey(
        "complaints.Complaint", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=TransferStatus.choices)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    respond_by = models.DateTimeField()
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    contest_reason = models.TextField(blank=True)
    # Arbitration: the province's coordinating unit, or the national authority when two provinces disagree.
    arbiter_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="arbitrations"
    )
    decide_by = models.DateTimeField(null=True, blank=True)
    decided_owner = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=TransferStatus.values), name="transfer_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(from_agency=F("to_agency")), name="transfer_to_another_agency"
            ),
            # One open transfer per case at a time.
            models.UniqueConstraint(
                fields=["complaint"], condition=Q(status__in=OPEN_TRANSFER), name="transfer_one_open_per_case"
            ),
        ]
        indexes = [
            # The sweep: proposals whose answer is overdue (silence counts as acceptance).
            models.Index(fields=["status", "respond_by"], name="transfer_sweep"),
            # The target agency's incoming transfers and the arbiter's queue.
            models.Index(fields=["to_agency", "status"], name="transfer_incoming"),
            models.Index(fields=["arbiter_agency", "status"], name="transfer_arbiter_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.from_agency_id} → {self.to_agency_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TRANSFER


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Đang chờ cơ quan phối hợp")
    DONE = "done", _("Đã trả lời")


class SupportTask(models.Model):
    """Joint handling: the lead agency asks a supporting agency for a task (an inspection, a test, an
    opinion) with its own due date. The lead cannot resolve the case while a task is open unless it records
    why."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="support_tasks"
    )
    lead_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="support_tasks")
    request = models.TextField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    answer = models.TextField(blank=True)
    # Null when the system asked (a business in another province, at intake).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=TaskStatus.values), name="support_task_status_valid"
            ),
            models.CheckConstraint(condition=~Q(agency=F("lead_agency")), name="support_task_other_agency"),
        ]
        indexes = [
            # A supporting agency's open tasks.
            models.Index(fields=["agency", "status", "due_at"], name="support_task_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.agency_id} ({self.status})"

    @property
    def answer_step(self) -> str:
        """The URL step of the answer form on the case page."""
        return f"answer-{self.pk}"
