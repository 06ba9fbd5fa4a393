"""What the staff case page shows of the business side: the registered business or the candidates, the
business stage, and mediation with its settlement and promises."""

from bvntd.complaints.access import Action, can
from bvntd.complaints.models import Complaint
from bvntd.complaints.states import BUSINESS_STAGE, Status

from .forms import (
    CancelSessionForm,
    ConfirmVulnerableForm,
    PromiseMarkForm,
    RecordForm,
    ScheduleForm,
    TakeOverForm,
)
from .mediation import MEDIATION_STATES
from .models import PromiseStatus, Referral, SessionStatus
from .registry import business_candidates
from .stage import has_portal

# Where staff are offered registered businesses to link: the case is open and not waiting on the consumer.
CANDIDATE_STATES = frozenset(
    {*BUSINESS_STAGE, Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED}
)


def business_panel(user, complaint: Complaint, *, bound: dict | None = None) -> dict:
    bound = bound or {}
    may = can(user, complaint, Action.BUSINESS)
    referral = Referral.objects.filter(complaint=complaint).select_related("business").first()
    candidates = []
    if may and complaint.business_id is None and complaint.status in CANDIDATE_STATES:
        candidates = business_candidates(name=complaint.business_name, tax_code=complaint.business_tax_code)
    can_send = (
        may
        and complaint.status == Status.RECEIVED
        and complaint.business is not None
        and not complaint.contacted_business
        and referral is None
        and has_portal(complaint.business)
    )
    return {
        "may": may,
        "referral": referral,
        "answers": list(referral.answers.select_related("author")) if referral else [],
        "candidates": candidates,
        "can_send": can_send,
        "take_over_form": _form(bound, "take_over", TakeOverForm())
        if may and complaint.status in BUSINESS_STAGE
        else None,
        "vulnerable_form": _form(
            bound, "confirm_vulnerable", ConfirmVulnerableForm(initial={"group": complaint.vulnerable_group})
        )
        if may and complaint.is_open
        else None,
    }


def _form(bound: dict, name: str, blank):
    """The form sent back with its errors, or a blank one."""
    return bound.get(name) or blank


def mediation_panel(user, complaint: Complaint, *, bound: dict | None = None) -> dict:
    """`bound` may hold the failed form under its step's name ("schedule", "record", "cancel", "promise")
    and, under "mediation_target", the session or promise it was about: the form is shown again in its
    place with its errors, and errors that have no place left (the session was recorded meanwhile, the case
    moved on) are listed at the top of the panel."""
    bound = bound or {}
    may = can(user, complaint, Action.MEDIATE)
    sessions = list(complaint.mediations.select_related("settlement").order_by("number"))
    promises = list(complaint.promises.order_by("due_on", "pk"))
    scheduled = [s for s in sessions if s.status == SessionStatus.SCHEDULED]
    pending = [p for p in promises if p.status == PromiseStatus.PENDING]
    target = bound.get("mediation_target")

    def form_for(step: str, pk: int, form_class, field: str):
        form = bound.get(step)
        if form is not None and target == pk:
            return form
        return form_class(initial={field: pk}, auto_id=mediation_auto_id(step, pk))

    schedule_form = None
    if may and complaint.status in MEDIATION_STATES:
        schedule_form = bound.get("schedule") or ScheduleForm(auto_id=mediation_auto_id("schedule", None))
    record_forms = cancel_forms = promise_forms = {}
    if may:
        record_forms = {s.pk: form_for("record", s.pk, RecordForm, "session") for s in scheduled}
        cancel_forms = {s.pk: form_for("cancel", s.pk, CancelSessionForm, "session") for s in scheduled}
        promise_forms = {p.pk: form_for("promise", p.pk, PromiseMarkForm, "promise") for p in pending}
    shown = [schedule_form, *record_forms.values(), *cancel_forms.values(), *promise_forms.values()]
    errors = [
        message
        for step in ("schedule", "record", "cancel", "promise")
        if bound.get(step) is not None and not any(form is bound[step] for form in shown)
        for messages in bound[step].errors.values()
        for message in messages
    ]
    return {
        "may": may,
        "sessions": sessions,
        "promises": promises,
        "errors": errors,
        "schedule_form": schedule_form,
        "record_forms": record_forms,
        "cancel_forms": cancel_forms,
        "promise_forms": promise_forms,
    }


def mediation_auto_id(step: str, pk: int | None) -> str:
    """Ids of the panel's form fields: one form per session and per promise on the same page, beside the
    case's own action forms, so Django's default "id_%s" would repeat and labels would point at the wrong
    field."""
    return f"mediation-{step}-{pk}-%s" if pk is not None else f"mediation-{step}-%s"
