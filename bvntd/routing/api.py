"""POST /api/v1/routing/suggest: the sector a text belongs to, and the agency competent for it."""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from bvntd.core.calendar import local_date
from bvntd.core.errors import FieldError, FieldErrors
from bvntd.core.text import clean_text
from bvntd.geo.queries import map_on

from .competence import resolve_competence
from .services import suggest_sector

router = Router(tags=["routing"])


class SuggestIn(Schema):
    text: str = Field(min_length=1, max_length=20000, description="The complaint's description")
    business_name: str = ""
    province_code: str = Field(description="2-digit code of the consumer's province")
    commune_code: str = ""


class Alternative(Schema):
    sector: str
    confidence: float


class AgencyOut(Schema):
    code: str
    name: str


class SuggestOut(Schema):
    sector: str
    confidence: float
    alternatives: list[Alternative]
    agency: AgencyOut
    supporting_agencies: list[AgencyOut]
    top_terms: list[str]
    flags: list[str]
    model_version: str


class ErrorsOut(Schema):
    errors: list[dict]


@router.post(
    "/suggest", response={200: SuggestOut, 422: ErrorsOut, 503: ErrorsOut}, summary="Suggest a sector"
)
def suggest(request: HttpRequest, body: SuggestIn):
    now = timezone.now()
    if body.province_code not in map_on(local_date(now)).provinces:
        message = _("Mã tỉnh/thành phố không có trên bản đồ hành chính hiện hành.")
        raise FieldErrors([FieldError("province_code", message)])
    suggestion = suggest_sector(text=clean_text(body.text), business_name=clean_text(body.business_name))
    if suggestion is None:
        message = _("Chưa có mô hình phân loại; chạy manage.py train_router.")
        return Status(503, {"errors": [{"field": None, "message": message}]})
    rule = resolve_competence(
        sector_code=suggestion.sector,
        province_code=body.province_code,
        commune_code=body.commune_code,
        on=local_date(now),
    )
    return {
        "sector": suggestion.sector,
        "confidence": suggestion.confidence,
        "alternatives": suggestion.alternatives,
        "agency": {"code": rule.lead_agency.code, "name": rule.lead_agency.name},
        "supporting_agencies": [{"code": a.code, "name": a.name} for a in rule.supporting_agencies.all()],
        "top_terms": suggestion.top_terms,
        "flags": suggestion.flags,
        "model_version": suggestion.model_version,
    }
