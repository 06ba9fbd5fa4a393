"""`/api/v1/business/...`: a business's own systems list its open complaints, read one and answer it.

Authentication: `Authorization: Bearer bvdn_…`, a token per business issued by an agency. Each token may make
BUSINESS_API_RATE_PER_MINUTE requests a minute, counted in the database so every web worker shares the count.
"""

import datetime as dt

from django.conf import settings
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.security import HttpBearer

from bvntd.complaints.states import BUSINESS_STAGE
from bvntd.core.api_auth import hash_token
from bvntd.core.crypto import mask_name
from bvntd.core.errors import Throttled

from . import stage
from .models import AnswerKind, ApiRateWindow, BusinessApiToken, Referral, ReferralStatus
from .portal import business_complaints, get_complaint_for_business

PAGE_SIZE = 50
TO_ANSWER = (ReferralStatus.WAITING, ReferralStatus.IN_PROGRESS)


def _count_request(token: BusinessApiToken, now: dt.datetime) -> int:
    window = now.replace(second=0, microsecond=0)
    updated = ApiRateWindow.objects.filter(token=token, window_start=window).update(count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                ApiRateWindow.objects.create(token=token, window_start=window, count=1)
        except IntegrityError:
            ApiRateWindow.objects.filter(token=token, window_start=window).update(count=F("count") + 1)
    return ApiRateWindow.objects.get(token=token, window_start=window).count


class BusinessToken(HttpBearer):
    def authenticate(self, request, token: str):
        record = (
            BusinessApiToken.objects.select_related("business")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, business__merged_into__isnull=True)
            .first()
        )
        if record is None:
            return None
        now = timezone.now()
        if _count_request(record, now) > settings.BVNTD["BUSINESS_API_RATE_PER_MINUTE"]:
            raise Throttled(_("Vượt quá số yêu cầu cho phép mỗi phút; vui lòng thử lại sau."))
        BusinessApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        return record.business


router = Router(tags=["business"], auth=BusinessToken())


class AnswerOut(Schema):
    kind: str
    body: str
    amount_vnd: int | None
    expected_on: dt.date | None
    at: dt.datetime


class CaseOut(Schema):
    tracking_code: str
    status: str
    status_label: str
    priority: bool = Field(
        description="Law 19/2023 Art.8: a vulnerable consumer; answer first, no third party"
    )
    answer_due_at: dt.datetime
    due_at: dt.datetime | None
    consumer: str = Field(description="The consumer's name, masked")
    description: str
    desired_outcome: str
    amount_vnd: int | None
    purchased_on: dt.date | None
    received_at: dt.datetime
    answers: list[AnswerOut]


class CasePageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[CaseOut]


class AnswerIn(Schema):
    kind: AnswerKind
    body: str = Field(description="What the business did or will do, or why it refuses")
    amount_vnd: int | None = Field(None, description="Required for 'monetary': money returned, in đồng")
    expected_on: dt.date | None = Field(
        None, description="Required for 'in_progress': the date of the answer"
    )


class ErrorsOut(Schema):
    errors: list[dict]


def _case(complaint) -> CaseOut:
    referral: Referral = complaint.referral
    return CaseOut(
        tracking_code=complaint.tracking_code,
        status=complaint.status,
        status_label=complaint.get_status_display(),
        priority=referral.priority,
        answer_due_at=referral.answer_due_at,
        due_at=complaint.due_at if complaint.status in BUSINESS_STAGE else None,
        consumer=mask_name(complaint.consumer_name),
        description=complaint.description,
        desired_outcome=complaint.desired_outcome,
        amount_vnd=complaint.amount_vnd,
        purchased_on=complaint.purchased_on,
        received_at=complaint.received_at,
        answers=[
            AnswerOut(
                kind=a.kind, body=a.body, amount_vnd=a.amount_vnd, expected_on=a.expected_on, at=a.created_at
            )
            for a in referral.answers.all()
        ],
    )


class ListFilters(Schema):
    page: int = Field(1, ge=1)
    include_closed: bool = Field(
        False, description="Also the cases already answered or whose stage has ended"
    )


@router.get("/complaints", response={200: CasePageOut, 401: ErrorsOut, 429: ErrorsOut})
def list_complaints(request: HttpRequest, filters: Query[ListFilters]):
    """The complaints waiting for the business's answer, priority cases first, then by due date."""
    cases = business_complaints(request.auth).select_related("referral")
    if not filters.include_closed:
        # Open for the business: waiting for its answer (first, or final after "in progress").
        cases = cases.filter(status__in=BUSINESS_STAGE, referral__status__in=TO_ANSWER)
    cases = cases.order_by("-referral__priority", "referral__answer_due_at", "pk").prefetch_related(
        "referral__answers"
    )
    page = Paginator(cases, PAGE_SIZE).get_page(filters.page)
    return CasePageOut(
        count=page.paginator.count,
        page=page.number,
        pages=page.paginator.num_pages,
        results=[_case(c) for c in page.object_list],
    )


@router.get(
    "/complaints/{tracking_code}", response={200: CaseOut, 401: ErrorsOut, 404: ErrorsOut, 429: ErrorsOut}
)
def get_complaint(request: HttpRequest, tracking_code: str):
    return _case(get_complaint_for_business(request.auth, tracking_code))


@router.post(
    "/complaints/{tracking_code}/answer",
    response={201: CaseOut, 401: ErrorsOut, 404: ErrorsOut, 409: ErrorsOut, 422: ErrorsOut, 429: ErrorsOut},
)
def answer_complaint(request: HttpRequest, tracking_code: str, payload: AnswerIn):
    complaint = get_complaint_for_business(request.auth, tracking_code)
    stage.referral_answer(
        complaint=complaint,
        business=request.auth,
        now=timezone.now(),
        kind=payload.kind,
        body=payload.body,
        amount_vnd=payload.amount_vnd,
        expected_on=payload.expected_on,
        via="api",
    )
    return Status(201, _case(get_complaint_for_business(request.auth, tracking_code)))
