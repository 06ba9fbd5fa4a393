"""JSON API for complaints: public intake and look-up, and the staff list and detail (token auth)."""

import datetime as dt
import json

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from bvntd.core.api_auth import StaffToken
from bvntd.core.crypto import mask_email, mask_name, mask_phone
from bvntd.core.errors import FieldError, FieldErrors, NotFound, Throttled

from . import services
from .access import get_complaint_for_user
from .intake import parse_intake
from .models import Channel, Complaint
from .queries import InboxFilters, find_for_consumer, inbox, public_timeline
from .throttle import client_key, lookup_blocked, record_failure

router = Router(tags=["complaints"])
staff_router = Router(tags=["staff"], auth=StaffToken())


class ComplaintIn(Schema):
    """A new complaint. Unknown fields are ignored; empty strings in optional fields count as not given."""

    consumer_name: str = Field(max_length=200)
    phone: str | None = Field(None, description="Vietnamese or international number, as text")
    email: str | None = None
    address: str | None = None
    province_code: str = Field(description="2-digit code on the current map, e.g. '86'")
    commune_code: str | None = Field(None, description="5-digit commune code inside the province")
    business_name: str
    business_tax_code: str | None = Field(None, description="10 digits, or 13 with a branch suffix, as text")
    business_address: str | None = None
    business_province_code: str | None = Field(
        None, description="2-digit code, when it differs from the consumer's"
    )
    description: str = Field(min_length=10, max_length=20000)
    amount_vnd: int | None = Field(None, ge=0, le=10**13)
    purchased_on: dt.date | None = None
    desired_outcome: str | None = None
    contacted_business: bool | None = Field(
        None, description="False: the consumer has not asked the business yet (it may answer first)"
    )
    publish_consent: bool = Field(False, description="The case may count in the business's public scorecard")
    vulnerable_group: str | None = Field(
        None,
        description="Law 19/2023 Art.8 group the consumer declares: elderly, disability, child, "
        "ethnic_remote, pregnant, illness, poor",
    )
    consent: bool = Field(description="Must be true: consent to the processing of personal data")


class AgencyOut(Schema):
    code: str
    name: str


class EventOut(Schema):
    kind: str
    label: str
    at: dt.datetime
    status: str
    agency: str | None
    note: str
    due_at: dt.datetime | None


class ComplaintCreated(Schema):
    tracking_code: str
    status: str
    status_label: str
    owner_agency: AgencyOut
    due_at: dt.datetime | None
    received_at: dt.datetime


class PublicComplaintOut(ComplaintCreated):
    due_kind: str
    business_name: str
    outcome: str
    outcome_summary: str
    dispute_until: dt.datetime | None
    timeline: list[EventOut]


class StaffComplaintOut(PublicComplaintOut):
    channel: str
    sector: str | None
    province_code: str
    commune_code: str | None
    consumer_name_masked: str
    phone_masked: str
    email_masked: str
    description: str
    amount_vnd: int | None
    purchased_on: dt.date | None
    desired_outcome: str
    version: int


class StaffListItem(Schema):
    tracking_code: str
    status: str
    owner_agency: AgencyOut
    sector: str | None
    province_code: str
    business_name: str
    due_at: dt.datetime | None
    received_at: dt.datetime


class StaffPage(Schema):
    items: list[StaffListItem]
    count: int
    page: int
    pages: int


class ErrorItem(Schema):
    field: str | None
    message: str


class ErrorsOut(Schema):
    errors: list[ErrorItem]


def _agency(complaint: Complaint) -> dict:
    return {"code": complaint.owner_agency.code, "name": complaint.owner_agency.name}


def _created(complaint: Complaint) -> dict:
    return {
        "tracking_code": complaint.tracking_code,
        "status": complaint.status,
        "status_label": complaint.get_status_display(),
        "owner_agency": _agency(complaint),
        "due_at": complaint.due_at,
        "received_at": complaint.received_at,
    }


def _events(events) -> list[dict]:
    return [
        {
            "kind": event.kind,
            "label": event.get_kind_display(),
            "at": event.created_at,
            "status": event.to_status,
            "agency": event.to_agency.name if event.to_agency else None,
            "note": event.reason,
            "due_at": event.due_at,
        }
        for event in events
    ]


def _public(complaint: Complaint) -> dict:
    return {
        **_created(complaint),
        "due_kind": complaint.due_kind,
        "business_name": complaint.business_name,
        "outcome": complaint.outcome,
        "outcome_summary": complaint.outcome_summary,
        "dispute_until": complaint.dispute_until,
        "timeline": _events(public_timeline(complaint)),
    }


def _staff(complaint: Complaint) -> dict:
    return {
        **_public(complaint),
        "timeline": _events(complaint.events.select_related("to_agency")),
        "channel": complaint.channel,
        "sector": complaint.sector_id,
        "province_code": complaint.province_id,
        "commune_code": complaint.commune_id,
        "consumer_name_masked": mask_name(complaint.consumer_name),
        "phone_masked": mask_phone(complaint.phone),
        "email_masked": mask_email(complaint.email),
        "description": complaint.description,
        "amount_vnd": complaint.amount_vnd,
        "purchased_on": complaint.purchased_on,
        "desired_outcome": complaint.desired_outcome,
        "version": complaint.version,
    }


@router.post(
    "",
    response={201: ComplaintCreated, 200: ComplaintCreated, 409: ErrorsOut, 422: ErrorsOut},
    summary="File a complaint",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ComplaintIn.model_json_schema()}},
        },
        "parameters": [
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "maxLength": 100},
                "description": "Retries with the same key and body return the same complaint (200).",
            }
        ],
    },
)
def create_complaint(request: HttpRequest):
    # The body is read here rather than by a schema so that every field error comes back at once, in
    # Vietnamese, in the one error shape, and types stay strict (a phone sent as a number is refused).
    try:
        raw = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise FieldErrors([FieldError(None, _("Nội dung gửi lên không phải JSON hợp lệ."))]) from None
    if not isinstance(raw, dict):
        raise FieldErrors([FieldError(None, _("Nội dung gửi lên phải là một đối tượng JSON."))])
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 100:
        raise FieldErrors([FieldError("Idempotency-Key", _("Tối đa 100 ký tự."))])
    now = timezone.now()
    data = parse_intake(raw, today=timezone.localdate(now))
    complaint, created = services.complaint_submit(
        data=data,
        channel=Channel.API,
        now=now,
        idempotency_key=key,
        request_hash=services.request_fingerprint(json.dumps(raw, sort_keys=True).encode()),
    )
    return Status(201 if created else 200, _created(complaint))


@router.get(
    "/{tracking_code}",
    response={200: PublicComplaintOut, 404: ErrorsOut},
    summary="Follow a complaint with its tracking code and the phone or e-mail given at intake",
)
def get_complaint(request: HttpRequest, tracking_code: str, contact: str):
    now, key = timezone.now(), client_key(request)
    if lookup_blocked(key, now):
        raise Throttled()
    complaint = find_for_consumer(tracking_code, contact)
    if complaint is None:
        record_failure(key, now)
        raise NotFound(_("Không tìm thấy hồ sơ với mã và thông tin liên hệ này."))
    return _public(complaint)


class StaffListQuery(Schema):
    status: str = ""
    sector: str = ""
    province: str = ""
    due: str = Field("", description="'soon' or 'overdue'")
    q: str = Field("", description="Search in description and business name, with or without diacritics")
    sort: str = Field("due", description="due, -due, received, -received")
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=100)


@staff_router.get("/complaints", response={200: StaffPage, 401: ErrorsOut}, summary="The caller's inbox")
def staff_list(request: HttpRequest, filters: Query[StaffListQuery]):
    params = filters.dict()
    queryset = inbox(request.auth, InboxFilters.from_params(params), now=timezone.now())
    paginator = Paginator(queryset, filters.page_size)
    page = paginator.get_page(filters.page)
    items = [
        {
            "tracking_code": c.tracking_code,
            "status": c.status,
            "owner_agency": _agency(c),
            "sector": c.sector_id,
            "province_code": c.province_id,
            "business_name": c.business_name,
            "due_at": c.due_at,
            "received_at": c.received_at,
        }
        for c in page.object_list
    ]
    return {"items": items, "count": paginator.count, "page": page.number, "pages": paginator.num_pages}


@staff_router.get(
    "/complaints/{tracking_code}", response={200: StaffComplaintOut, 401: ErrorsOut, 404: ErrorsOut}
)
def staff_detail(request: HttpRequest, tracking_code: str):
    return _staff(get_complaint_for_user(request.auth, tracking_code))
