"""Joint handling: the lead agency asks supporting agencies for tasks, each with its own due date."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from bvntd.agencies.models import Agency
from bvntd.complaints.access import membership_of
from bvntd.complaints.models import Complaint, EventKind
from bvntd.complaints.services import complaint_record
from bvntd.complaints.states import OPEN
from bvntd.core.errors import Conflict, DomainError, PermissionDenied
from bvntd.core.workdays import calendar_for

from .models import SupportTask, TaskStatus
from .transfers import CASE_WORKERS, is_holder


def open_tasks(complaint: Complaint):
    return complaint.support_tasks.filter(status=TaskStatus.OPEN)


@transaction.atomic
def task_request(
    *,
    complaint: Complaint,
    actor,
    now: dt.datetime,
    agency: Agency,
    request: str,
    working_days: int | None = None,
) -> SupportTask:
    if not is_holder(actor, complaint):
        raise PermissionDenied(_("Chỉ cơ quan đang giữ hồ sơ được đề nghị phối hợp."))
    if complaint.status not in OPEN:
        raise DomainError(_("Hồ sơ đã kết thúc hoặc đã có kết quả."))
    if agency.pk == complaint.owner_agency_id or not agency.is_active:
        raise DomainError(_("Vui lòng chọn một cơ quan phối hợp khác, đang hoạt động."))
    if not (request or "").strip():
        raise DomainError(_("Vui lòng nêu việc cần cơ quan phối hợp thực hiện."))
    days = working_days or settings.BVNTD["SUPPORT_TASK_WORKING_DAYS"]
    if not 1 <= days <= 30:
        raise DomainError(_("Thời hạn phối hợp từ 1 đến 30 ngày làm việc."))
    task = SupportTask.objects.create(
        complaint=complaint,
        lead_agency=complaint.owner_agency,
        agency=agency,
        request=request.strip(),
        due_at=calendar_for(now).deadline(now, days),
        created_by=actor,
        created_at=now,
    )
    complaint_record(
        complaint=complaint,
        kind=EventKind.TASK_REQUESTED,
        now=now,
        actor=actor,
        reason=task.request,
        data={"task": task.pk, "agency": agency.code},
    )
    return task


@transaction.atomic
def task_answer(*, task: SupportTask, actor, now: dt.datetime, answer: str) -> SupportTask:
    membership = membership_of(actor)
    if membership is None or membership.role not in CASE_WORKERS or membership.agency_id != task.agency_id:
        raise PermissionDenied(_("Chỉ cơ quan được đề nghị phối hợp mới trả lời."))
    if not (answer or "").strip():
        raise DomainError(_("Vui lòng nhập nội dung trả lời."))
    written = SupportTask.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(
        status=TaskStatus.DONE, answer=answer.strip(), answered_by=actor, answered_at=now
    )
    if written != 1:
        raise Conflict(_("Việc phối hợp này đã được trả lời."))
    task.refresh_from_db()
    complaint_record(
        complaint=task.complaint,
        kind=EventKind.TASK_ANSWERED,
        now=now,
        actor=actor,
        reason=task.answer,
        data={"task": task.pk},
    )
    return task
