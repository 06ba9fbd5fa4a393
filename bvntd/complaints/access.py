"""Who may see and do what with a complaint. Views and the API never query complaints directly.

A case outside a person's scope does not exist for them (404); a case inside their scope but an action their
role does not allow is a clear refusal (403).
"""

from enum import StrEnum

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from bvntd.agencies.models import Membership, Role
from bvntd.core.errors import NotFound, PermissionDenied
from bvntd.routing.models import OPEN_TRANSFER, SupportTask, Transfer

from .models import Complaint


class Action(StrEnum):
    VIEW = "view"
    ACCEPT = "accept"
    START = "start"
    REQUEST_INFO = "request_info"
    REASSIGN = "reassign"
    ASSIGN = "assign"
    EXTEND = "extend"
    RESOLVE = "resolve"
    REJECT = "reject"
    CLOSE = "close"
    NOTE = "note"
    MESSAGE = "message"
    REVEAL = "reveal"
    # The business side of a case: link the registered business, send it the case first, confirm a
    # vulnerable consumer, take the case back from the business.
    BUSINESS = "business"
    MEDIATE = "mediate"


# What each role may do on a case in its scope. Case work belongs to the owning agency's people, who hand
# a case on only through the transfer protocol (routing.transfers); coordinators and the national authority
# see wider and may move a case directly (triage), but do not work it.
CASE_WORK = frozenset(Action) - {Action.ASSIGN, Action.REASSIGN}
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.OFFICER: CASE_WORK,
    Role.HEAD: CASE_WORK | {Action.ASSIGN},
    Role.COORDINATOR: frozenset({Action.VIEW, Action.REASSIGN, Action.NOTE}),
    Role.NATIONAL: frozenset({Action.VIEW, Action.REASSIGN, Action.NOTE}),
    Role.AUDITOR: frozenset({Action.VIEW}),
    Role.HOTLINE: frozenset({Action.VIEW}),
}


def membership_of(user) -> Membership | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def visible_complaints(user) -> QuerySet[Complaint]:
    membership = membership_of(user)
    complaints = Complaint.objects.all()
    if membership is None:
        return complaints.none()
    role = membership.role
    if role in {Role.NATIONAL, Role.AUDITOR}:
        return complaints
    if role == Role.COORDINATOR:
        province = membership.agency.province_id
        return complaints.filter(Q(owner_agency__province_id=province) | Q(province_id=province))
    if role == Role.HOTLINE:
        return complaints.filter(created_by=user)
    # The agency's own cases, those another agency proposes to hand it (to read before answering), and
    # those it supports with a task (joint handling). The two short lists are read first: as subqueries
    # in an OR they would keep PostgreSQL from walking the inbox index in due-date order.
    agency = membership.agency_id
    others = set(
        Transfer.objects.filter(to_agency_id=agency, status__in=OPEN_TRANSFER).values_list(
            "complaint_id", flat=True
        )
    )
    others.update(SupportTask.objects.filter(agency_id=agency).values_list("complaint_id", flat=True))
    if not others:
        return complaints.filter(owner_agency_id=agency)
    return complaints.filter(Q(owner_agency_id=agency) | Q(pk__in=sorted(others)))


def can(user, complaint: Complaint, action: Action) -> bool:
    membership = membership_of(user)
    if membership is None:
        return False
    if action not in ROLE_ACTIONS[membership.role]:
        return False
    return _in_scope(membership, complaint, action)


def _in_scope(membership: Membership, complaint: Complaint, action: Action) -> bool:
    """The same scope as `visible_complaints`, decided for one loaded case without a query."""
    role = membership.role
    if role in {Role.NATIONAL, Role.AUDITOR}:
        return True
    if role == Role.COORDINATOR:
        province = membership.agency.province_id
        return province in {complaint.province_id, complaint.owner_agency.province_id}
    if role == Role.HOTLINE:
        return complaint.created_by_id == membership.user_id
    if complaint.owner_agency_id == membership.agency_id:
        return True
    # A target agency may read a case proposed to it, and a supporting agency a case it has a task in;
    # neither may do anything else with it (their steps are the protocols' own).
    if action is not Action.VIEW:
        return False
    agency = membership.agency_id
    return (
        complaint.transfers.filter(to_agency_id=agency, status__in=OPEN_TRANSFER).exists()
        or complaint.support_tasks.filter(agency_id=agency).exists()
    )


def require(user, complaint: Complaint, action: Action) -> None:
    if not can(user, complaint, action):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với hồ sơ."))


def get_complaint_for_user(user, tracking_code: str, *, action: Action = Action.VIEW) -> Complaint:
    complaint = (
        visible_complaints(user)
        .select_related("owner_agency", "province", "commune", "sector")
        .filter(tracking_code=tracking_code.strip().upper())
        .first()
    )
    if complaint is None:
        raise NotFound(_("Không tìm thấy hồ sơ."))
    require(user, complaint, action)
    return complaint


def allowed_actions(user, complaint: Complaint) -> set[Action]:
    return {action for action in Action if can(user, complaint, action)}
