"""What the case page shows of the transfer protocol to one person: the open transfer, its history, and the
forms this person may use now."""

from django.utils import timezone

from bvntd.complaints.models import Complaint
from bvntd.complaints.states import OPEN
from bvntd.core.calendar import local_date
from bvntd.core.errors import NotFound

from .competence import resolve_competence
from .forms import ContestTransferForm, DecideTransferForm, ProposeTransferForm
from .models import TransferStatus
from .transfers import is_arbiter, is_holder, is_target, open_transfer


def competent_agency(complaint: Complaint):
    """The lead agency the matrix names for the case's sector (confirmed or suggested), if any."""
    sector = complaint.sector_id or getattr(getattr(complaint, "sector_suggestion", None), "sector_id", None)
    if not sector:
        return None
    try:
        rule = resolve_competence(
            sector_code=sector,
            province_code=complaint.province_id,
            commune_code=complaint.commune_id or "",
            on=local_date(timezone.now()),
        )
    except NotFound:
        return None
    return rule.lead_agency if rule.lead_agency_id != complaint.owner_agency_id else None


def transfer_panel(user, complaint: Complaint) -> dict:
    pending = open_transfer(complaint)
    forms: dict = {}
    if pending is None:
        if complaint.status in OPEN and is_holder(user, complaint):
            forms["propose"] = ProposeTransferForm(complaint=complaint, suggested=competent_agency(complaint))
    elif pending.status == TransferStatus.PROPOSED:
        if is_target(user, pending):
            forms["accept"] = None
            forms["contest"] = ContestTransferForm()
        if is_holder(user, complaint):
            forms["withdraw"] = None
    elif pending.status == TransferStatus.ARBITRATION and is_arbiter(user, pending):
        forms["decide"] = DecideTransferForm(transfer=pending)
    history = complaint.transfers.select_related(
        "from_agency", "to_agency", "arbiter_agency", "decided_owner", "proposed_by"
    ).order_by("proposed_at", "pk")
    return {"pending": pending, "forms": forms, "history": history, "failed": ""}


def joint_panel(user, complaint: Complaint) -> dict:
    """Joint handling on the case page: the tasks, the lead's request form, a supporting agency's answer."""
    from bvntd.agencies.models import Role
    from bvntd.complaints.access import membership_of

    from .forms import AnswerTaskForm, RequestTaskForm
    from .models import TaskStatus

    tasks = list(complaint.support_tasks.select_related("agency").order_by("created_at"))
    membership = membership_of(user)
    answer_forms = {
        task.pk: AnswerTaskForm()
        for task in tasks
        if task.status == TaskStatus.OPEN
        and membership is not None
        and membership.agency_id == task.agency_id
        and membership.role in {Role.OFFICER, Role.HEAD}
    }
    request_form = None
    if complaint.status in OPEN and is_holder(user, complaint):
        request_form = RequestTaskForm(complaint=complaint)
    return {"tasks": tasks, "request_form": request_form, "answer_forms": answer_forms}
