"""HTML views: the consumer's intake and tracking pages, and the staff inbox and case page. Thin: they parse
the request, call a service or a query, and render."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bvntd.agencies.models import Role, Sector
from bvntd.businesses import mediation as business_mediation
from bvntd.businesses import stage as business_stage
from bvntd.businesses.forms import AcceptAnswerForm, DisputeAnswerForm, PromiseBrokenForm
from bvntd.businesses.models import PromiseStatus, Referral
from bvntd.businesses.panel import business_panel, mediation_panel
from bvntd.core.crypto import mask_email, mask_name, mask_phone, mask_text
from bvntd.core.errors import DomainError, FieldErrors, NotFound, PermissionDenied, Throttled
from bvntd.core.workdays import calendar_for
from bvntd.geo.queries import communes_of, current_provinces
from bvntd.routing.panel import joint_panel, transfer_panel

from . import services
from .access import Action, allowed_actions, get_complaint_for_user, membership_of
from .attachments import check_uploads
from .forms import ACTION_FORMS, ConsumerReplyForm, DisputeForm, LookupForm, RateForm, WithdrawForm
from .intake import TEXT_FIELDS, parse_intake
from .models import Channel, MessageKind, VulnerableGroup
from .queries import InboxFilters, custody_periods, days_left, find_for_consumer, inbox, public_timeline
from .states import OPEN, Status, can_move
from .throttle import client_key, lookup_blocked, record_failure

TRACKED_SESSION_KEY = "tracked_complaints"
# Actions that only make sense while the case is open (the transition table does not cover them).
OPEN_CASE_ACTIONS = frozenset({"reassign", "assign", "extend", "request_info", "message"})


def domain_errors(view):
    """Map the domain's NotFound/PermissionDenied to Django's 404/403 pages."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except PermissionDenied as error:
            raise DjangoPermissionDenied(error.message) from None

    return wrapper


# --- intake -------------------------------------------------------------------------------------------


def _intake_context(request, values: dict, errors: dict, *, hotline: bool) -> dict:
    province = values.get("province_code", "")
    return {
        "values": values,
        "errors": errors,
        "provinces": current_provinces(),
        "communes": communes_of(province) if province else [],
        "hotline": hotline,
        "vulnerable_groups": VulnerableGroup.choices,
    }


def _submit(request: HttpRequest, *, channel: str, template: str, actor=None) -> HttpResponse:
    if request.method == "GET":
        return render(request, template, _intake_context(request, {}, {}, hotline=actor is not None))
    values = {name: request.POST.get(name, "") for name in (*TEXT_FIELDS, "amount_vnd", "purchased_on")}
    values["contacted_business"] = request.POST.get("contacted_business", "")
    values["consent"] = request.POST.get("consent", "")
    values["publish_consent"] = request.POST.get("publish_consent", "")
    values["vulnerable_group"] = request.POST.get("vulnerable_group", "")
    now = timezone.now()
    try:
        files = check_uploads(request.FILES.getlist("attachments"))
        data = parse_intake(values, today=timezone.localdate(now), from_form=True)
        complaint, _created = services.complaint_submit(
            data=data, channel=channel, now=now, actor=actor, files=files
        )
    except FieldErrors as error:
        errors: dict[str, list[str]] = {}
        for item in error.errors:
            errors.setdefault(item.field or "__all__", []).append(item.message)
        context = _intake_context(request, values, errors, hotline=actor is not None)
        return render(request, template, context, status=422)
    _remember(request, complaint.tracking_code)
    request.session["just_filed"] = complaint.tracking_code
    return redirect("complaints:filed")


@require_http_methods(["GET", "POST"])
def file_complaint(request: HttpRequest) -> HttpResponse:
    return _submit(request, channel=Channel.WEB, template="complaints/file.html")


@login_required
@require_http_methods(["GET", "POST"])
def hotline_complaint(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    if membership is None or membership.role not in {Role.HOTLINE, Role.OFFICER, Role.HEAD, Role.COORDINATOR}:
        raise DjangoPermissionDenied(_("Chỉ tổng đài viên và cán bộ được nhập khiếu nại qua điện thoại."))
    return _submit(request, channel=Channel.HOTLINE, template="complaints/file.html", actor=request.user)


def filed(request: HttpRequest) -> HttpResponse:
    code = request.session.get("just_filed")
    if not code:
        return redirect("complaints:lookup")
    return render(request, "complaints/filed.html", {"tracking_code": code})


def communes(request: HttpRequest) -> HttpResponse:
    """<option>s for the commune select of a province (htmx)."""
    province = request.GET.get("province_code", "")
    return render(
        request,
        "complaints/file.html#commune_options",
        {"communes": communes_of(province) if province else []},
    )


# --- the consumer's tracking page ---------------------------------------------------------------------


def _remember(request: HttpRequest, code: str) -> None:
    tracked = request.session.get(TRACKED_SESSION_KEY, [])
    if code not in tracked:
        request.session[TRACKED_SESSION_KEY] = [*tracked, code][-20:]


def _tracked_complaint(request: HttpRequest, code: str):
    """The consumer proved the case is theirs (code + contact) earlier in this session."""
    if code.upper() not in request.session.get(TRACKED_SESSION_KEY, []):
        return None
    from .models import Complaint

    return Complaint.objects.select_related("owner_agency").filter(tracking_code=code.upper()).first()


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    status = 422 if request.method == "POST" else 200
    now, key = timezone.now(), client_key(request)
    if request.method == "POST" and lookup_blocked(key, now):
        form.is_valid()
        form.add_error(None, Throttled().message)
        status = 429
    elif request.method == "POST" and form.is_valid():
        complaint = find_for_consumer(form.cleaned_data["tracking_code"], form.cleaned_data["contact"])
        if complaint is not None:
            _remember(request, complaint.tracking_code)
            return redirect("complaints:track", code=complaint.tracking_code)
        record_failure(key, now)
        form.add_error(None, _("Không tìm thấy hồ sơ với mã và thông tin liên hệ này."))
    return render(request, "complaints/lookup.html", {"form": form}, status=status)


CONSUMER_ACTIONS = {
    "reply": ConsumerReplyForm,
    "rate": RateForm,
    "dispute": DisputeForm,
    "withdraw": WithdrawForm,
    "accept_answer": AcceptAnswerForm,
    "dispute_answer": DisputeAnswerForm,
    "promise_broken": PromiseBrokenForm,
}


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, code: str, action: str = "") -> HttpResponse:
    complaint = _tracked_complaint(request, code)
    if complaint is None:
        return redirect("complaints:lookup")
    forms = {name: form_class() for name, form_class in CONSUMER_ACTIONS.items()}
    status = 200
    if request.method == "POST":
        if action not in CONSUMER_ACTIONS:
            raise Http404
        form = CONSUMER_ACTIONS[action](request.POST)
        forms[action] = form
        if form.is_valid():
            try:
                _consumer_action(request, complaint, action, form.cleaned_data)
            except FieldErrors as error:
                for item in error.errors:
                    form.add_error(None, item.message)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Đã ghi nhận. Cảm ơn bạn."))
                return redirect("complaints:track", code=complaint.tracking_code)
        status = 422
    context = {
        "complaint": complaint,
        "timeline": public_timeline(complaint),
        "conversation": complaint.messages.exclude(kind=MessageKind.NOTE),
        "forms": forms,
        "days_left": days_left(complaint, timezone.now()),
        "can_reply": complaint.status in OPEN,
        "can_rate": complaint.status in {Status.RESOLVED, Status.CLOSED}
        and complaint.consumer_rating is None,
        "can_dispute": complaint.status == Status.RESOLVED
        and complaint.dispute_until is not None
        and timezone.now() <= complaint.dispute_until,
        "can_withdraw": complaint.status in OPEN,
        **_business_stage_context(complaint),
    }
    return render(request, "complaints/track.html", context, status=status)


def _business_stage_context(complaint) -> dict:
    """The business's answers, and what the consumer may do with them; a settlement's pending promises."""
    referral = Referral.objects.filter(complaint=complaint).select_related("business").first()
    answers = list(referral.answers.all()) if referral else []
    in_progress = referral is not None and referral.status == "in_progress"
    return {
        "referral": referral,
        "business_answers": answers,
        "can_decide_answer": complaint.status == Status.BUSINESS_ANSWERED,
        "can_dispute_delay": complaint.status == Status.AT_BUSINESS and in_progress,
        "pending_promises": complaint.promises.filter(status=PromiseStatus.PENDING),
        # The consumer may report a business's promise not kept once its due date has passed.
        "reportable_promises": set(
            complaint.promises.filter(
                status=PromiseStatus.PENDING, party="business", due_on__lt=timezone.localdate()
            ).values_list("pk", flat=True)
        ),
    }


def _consumer_action(request, complaint, action: str, data: dict) -> None:
    now = timezone.now()
    if action == "reply":
        files = check_uploads(request.FILES.getlist("attachments"))
        services.complaint_consumer_reply(complaint=complaint, now=now, body=data["body"], files=files)
    elif action == "rate":
        services.complaint_rate(complaint=complaint, now=now, rating=data["rating"], comment=data["comment"])
    elif action == "dispute":
        services.complaint_dispute(complaint=complaint, now=now, reason=data["reason"])
    elif action == "withdraw":
        services.complaint_withdraw(complaint=complaint, now=now, reason=data["reason"])
    elif action == "accept_answer":
        business_stage.answer_accept(complaint=complaint, now=now)
    elif action == "dispute_answer":
        business_stage.answer_dispute(complaint=complaint, now=now, reason=data["reason"])
    elif action == "promise_broken":
        promise = complaint.promises.filter(pk=data["promise"]).first()
        if promise is None:
            raise DomainError(_("Không tìm thấy cam kết."))
        business_mediation.promise_report_broken(promise=promise, now=now, reason=data["reason"])


# --- staff --------------------------------------------------------------------------------------------


@login_required
def staff_inbox(request: HttpRequest) -> HttpResponse:
    if membership_of(request.user) is None and hasattr(request.user, "business_membership"):
        # Everyone lands here after logging in; a business's representative works in the portal.
        return redirect("businesses:portal")
    now = timezone.now()
    filters = InboxFilters.from_params(request.GET)
    page_size = settings.BVNTD["INBOX_PAGE_SIZE"]
    page = Paginator(inbox(request.user, filters, now=now), page_size).get_page(request.GET.get("page"))
    calendar = calendar_for(now)
    rows = [(complaint, days_left(complaint, now, calendar)) for complaint in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "membership": membership_of(request.user),
        "filters": filters,
        "page": page,
        "rows": rows,
        "statuses": Status.choices,
        "sectors": Sector.objects.all(),
        "provinces": current_provinces(),
        "query": query.urlencode(),
    }
    return render(request, "complaints/inbox.html", context)


def case_page_context(
    request,
    complaint,
    *,
    bound: dict | None = None,
    revealed: dict | None = None,
    business_bound: dict | None = None,
) -> dict:
    now = timezone.now()
    left = days_left(complaint, now)
    actions = allowed_actions(request.user, complaint)
    forms = {}
    for name, (form_class, label) in ACTION_FORMS.items():
        if Action(name) not in actions:
            continue
        if form_class.target is not None and not can_move(complaint.status, form_class.target):
            continue
        if (
            name in {"reassign", "assign", "extend", "request_info", "message"}
            and complaint.status not in OPEN
        ):
            continue
        if name == "close" and services.dispute_window_open(complaint, now):
            continue
        form = (bound or {}).get(name) or form_class(complaint=complaint)
        forms[name] = (form, label)
    return {
        "complaint": complaint,
        "events": complaint.events.select_related("actor", "from_agency", "to_agency"),
        "conversation": complaint.messages.select_related("author"),
        "attachments": complaint.attachments.all(),
        "forms": forms,
        "days_left": left,
        "overdue_days": -left if left is not None and left < 0 else 0,
        "masked": {
            "consumer_name": mask_name(complaint.consumer_name),
            "phone": mask_phone(complaint.phone),
            "email": mask_email(complaint.email),
            "address": mask_text(complaint.address),
        },
        "revealed": revealed,
        "now": now,
        "transfer": transfer_panel(request.user, complaint),
        "joint": joint_panel(request.user, complaint),
        "business": business_panel(request.user, complaint, bound=business_bound),
        "mediation": mediation_panel(request.user, complaint, bound=business_bound),
        "custody": custody_periods(complaint, now),
    }


@login_required
@domain_errors
def staff_case(request: HttpRequest, code: str) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, code)
    return render(request, "complaints/case.html", case_page_context(request, complaint))


@login_required
@require_POST
@domain_errors
def staff_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    if action not in ACTION_FORMS:
        raise Http404
    complaint = get_complaint_for_user(request.user, code, action=Action(action))
    form_class, _label = ACTION_FORMS[action]
    form = form_class(request.POST, complaint=complaint)
    if form.is_valid():
        complaint.version = form.cleaned_data["version"]
        try:
            result = form.perform(actor=request.user, now=timezone.now())
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if action == "reveal":
                context = case_page_context(request, complaint, revealed=result)
                return render(request, "complaints/case.html", context)
            messages.success(request, _("Đã cập nhật hồ sơ."))
            return redirect("complaints:case", code=complaint.tracking_code)
    complaint.refresh_from_db()
    context = case_page_context(request, complaint, bound={action: form})
    context["failed_action"] = action
    return render(request, "complaints/case.html", context, status=422)


@login_required
@domain_errors
def staff_attachment(request: HttpRequest, code: str, attachment_id: int) -> FileResponse:
    complaint = get_complaint_for_user(request.user, code)
    attachment = complaint.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
