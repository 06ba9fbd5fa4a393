"""Agencies, the sectors they handle, and who works in them."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Sector(models.Model):
    """A sector code from DOMAIN.md (default routing reference data, editable by administrators)."""

    code = models.SlugField(max_length=20, primary_key=True)
    name = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    # Which kind of provincial body leads this sector by default (unconfirmed per province: DOMAIN.md).
    default_lead_kind = models.CharField(max_length=20)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


class AgencyKind(models.TextChoices):
    SCT = "sct", _("Sở Công Thương")
    SCT_CP = "sct_cp", _("Đơn vị bảo vệ người tiêu dùng (Sở Công Thương)")
    QLTT = "qltt", _("Chi cục Quản lý thị trường")
    HEALTH = "health", _("Sở Y tế")
    AGRI = "agri", _("Sở Nông nghiệp và Môi trường")
    SCIENCE = "science", _("Sở Khoa học và Công nghệ")
    CONSTRUCTION = "construction", _("Sở Xây dựng")
    EDUCATION = "education", _("Sở Giáo dục và Đào tạo")
    CULTURE = "culture", _("Sở Văn hóa, Thể thao và Du lịch")
    FINANCE = "finance", _("Sở Tài chính")
    POLICE = "police", _("Công an tỉnh")
    SBV = "sbv", _("Ngân hàng Nhà nước (chi nhánh khu vực)")
    NATIONAL = "national", _("Bộ Công Thương (Cục Cạnh tranh và Bảo vệ người tiêu dùng)")
    ASSOCIATION = "association", _("Hội bảo vệ quyền lợi người tiêu dùng")


class Agency(models.Model):
    code = models.SlugField(max_length=40, unique=True)  # e.g. "86-sct"
    name = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    # Null only for national bodies.
    province = models.ForeignKey(
        "geo.Province", null=True, blank=True, on_delete=models.PROTECT, related_name="agencies"
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="units")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.CharField(max_length=300, blank=True)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="agencies")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["province_id", "name"]
        verbose_name_plural = "agencies"
        constraints = [
            # Routing looks a provincial body up by (province, kind): the Sở Công Thương that takes intake
            # (Decree 146/2025 Art.46(1)), its coordinating unit, the default lead of a sector.
            models.UniqueConstraint(
                fields=["province", "kind"],
                condition=models.Q(province__isnull=False),
                name="agency_one_per_kind_per_province",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


class Role(models.TextChoices):
    OFFICER = "officer", _("Cán bộ xử lý")
    HEAD = "head", _("Lãnh đạo cơ quan")
    COORDINATOR = "coordinator", _("Điều phối cấp tỉnh")
    NATIONAL = "national", _("Cơ quan quốc gia")
    HOTLINE = "hotline", _("Tổng đài viên")
    AUDITOR = "auditor", _("Kiểm toán/giám sát")


class Membership(models.Model):
    """A person's role in one agency. A person has at most one active membership."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="members")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


class ApiToken(models.Model):
    """A staff API token. Only its SHA-256 is stored; the token is shown once when created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
