"""HTML views of the business side: the staff case panel's steps, mediation and its PDF, the registry,
imports and alerts for staff; the portal and the invitation for businesses; the public scorecard."""

import csv
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bvntd.complaints import services as case_services
from bvntd.complaints.access import Action, get_complaint_for_user, membership_of
from bvntd.complaints.states import BUSINESS_STAGE
from bvntd.complaints.views import case_page_context, domain_errors
from bvntd.core.crypto import mask_name
from bvntd.core.errors import DomainError, FieldError, FieldErrors, NotFound
from bvntd.geo.queries import current_provinces

from . import alerts, importer, mediation, portal, registry, stage
from .documents import mediation_pdf_response
from .forms import (
    AnswerForm,
    BusinessForm,
    CancelSessionForm,
    ConfirmVulnerableForm,
    HandOverForm,
    ImportForm,
    InvitationAcceptForm,
    InviteForm,
    LinkBusinessForm,
    MergeForm,
    PromiseMarkForm,
    RecordForm,
    ScheduleForm,
    TakeOverForm,
    TokenForm,
)
from .importing import COLUMNS
from .models import (
    AlertStatus,
    Business,
    BusinessImport,
    ImportStatus,
    MassAlert,
    ReferralStatus,
    SessionStatus,
)
from .panel import mediation_auto_id
from .queries import scorecard, search_businesses

PAGE_SIZE = 25


def staff_only(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if membership_of(request.user) is None:
            raise DjangoPermissionDenied(_("Chỉ dành cho cán bộ cơ quan."))
        return view(request, *args, **kwargs)

    return wrapper


def business_only(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        business = portal.business_of(request.user)
        if business is None:
            raise DjangoPermissionDenied(_("Chỉ dành cho người đại diện doanh nghiệp."))
        return view(request, business, *args, **kwargs)

    return wrapper


def _add_errors(form, error: DomainError) -> None:
    if isinstance(error, FieldErrors):
        for item in error.errors:
            form.add_error(item.field if item.field in form.fields else None, item.message)
    else:
        form.add_error(None, error.message)


def _case_again(request, complaint, name: str, form, extra: dict | None = None) -> HttpResponse:
    """The case page with the failed form open and its errors (422), nothing the officer typed lost."""
    complaint.refresh_from_db()
    context = case_page_context(request, complaint, business_bound={name: form, **(extra or {})})
    context["failed_action"] = name
    return render(request, "complaints/case.html", context, status=422)


# --- staff: the case's business panel -----------------------------------------------------------------

CASE_STEPS = {
    "link": LinkBusinessForm,
    "create_link": None,
    "send": None,
    "take_over": TakeOverForm,
    "confirm_vulnerable": ConfirmVulnerableForm,
}


@staff_only
@require_POST
@domain_errors
def case_business_step(request: HttpRequest, code: str, step: str) -> HttpResponse:
    if step not in CASE_STEPS:
        raise Http404
    complaint = get_complaint_for_user(request.user, code, action=Action.BUSINESS)
    form_class = CASE_STEPS[step]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _case_again(request, complaint, step, form)
    now, data = timezone.now(), form.cleaned_data if form else {}
    try:
        _perform_case_step(request, complaint, step, data, now)
    except DomainError as error:
        if form is None or step == "link":
            # A button without fields: the message says what to do first.
            messages.error(request, error.message)
            return redirect("complaints:case", code=complaint.tracking_code)
        _add_errors(form, error)
        return _case_again(request, complaint, step, form)
    messages.success(request, _("Đã cập nhật hồ sơ."))
    return redirect("complaints:case", code=complaint.tracking_code)


def _perform_case_step(request, complaint, step, data, now) -> None:
    actor = request.user
    if step == "link":
        business = Business.objects.filter(pk=data["business"]).first()
        if business is None:
            raise DomainError(_("Không tìm thấy doanh nghiệp."))
        registry.complaint_link_business(complaint=complaint, business=business, actor=actor, now=now)
    elif step == "create_link":
        # The tax code the consumer gave may be registered since intake: link that record, no duplicate.
        business = registry.business_for_tax_code(complaint.business_tax_code) or registry.business_create(
            actor=actor,
            now=now,
            name=complaint.business_name,
            tax_code=complaint.business_tax_code,
            province_id=complaint.business_province_id,
            address=complaint.business_address,
            sector_id=complaint.sector_id,
        )
        registry.complaint_link_business(complaint=complaint, business=business, actor=actor, now=now)
    elif step == "send":
        stage.referral_send(complaint=complaint, actor=actor, now=now)
    elif step == "take_over":
        stage.referral_take_over(complaint=complaint, actor=actor, now=now, reason=data["reason"])
    elif step == "confirm_vulnerable":
        registry.complaint_confirm_vulnerable(complaint=complaint, actor=actor, now=now, group=data["group"])


# --- staff: mediation ---------------------------------------------------------------------------------

MEDIATION_STEPS = {
    "schedule": ScheduleForm,
    "record": RecordForm,
    "cancel": CancelSessionForm,
    "promise": PromiseMarkForm,
}


@staff_only
@require_POST
@domain_errors
def mediation_step(request: HttpRequest, code: str, step: str) -> HttpResponse:
    if step not in MEDIATION_STEPS:
        raise Http404
    complaint = get_complaint_for_user(request.user, code, action=Action.MEDIATE)
    # The session or promise the form is about: the panel shows a failed form again in its place.
    target = _int(request.POST.get("promise" if step == "promise" else "session"))
    target = None if step == "schedule" else target
    form = MEDIATION_STEPS[step](request.POST, auto_id=mediation_auto_id(step, target))
    extra = {"mediation_target": target}
    if not form.is_valid():
        return _case_again(request, complaint, step, form, extra)
    try:
        _perform_mediation(request.user, complaint, step, form, timezone.now())
    except DomainError as error:
        _add_errors(form, error)
        return _case_again(request, complaint, step, form, extra)
    messages.success(request, _("Đã cập nhật hồ sơ."))
    return redirect("complaints:case", code=complaint.tracking_code)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _session(complaint, pk):
    session = complaint.mediations.filter(pk=pk).first()
    if session is None:
        raise NotFound(_("Không tìm thấy phiên hòa giải."))
    session.complaint = complaint
    return session


def _perform_mediation(actor, complaint, step, form, now) -> None:
    data = form.cleaned_data
    if step == "schedule":
        mediation.mediation_schedule(
            complaint=complaint,
            actor=actor,
            now=now,
            scheduled_at=data["scheduled_at"],
            place=data["place"],
            online_link=data["online_link"],
            participants=data["participants"],
        )
    elif step == "record":
        mediation.mediation_record(
            session=_session(complaint, data["session"]),
            actor=actor,
            now=now,
            minutes=data["minutes"],
            settlement_summary=data["settlement_summary"],
            promises=form.promises(),
        )
    elif step == "cancel":
        mediation.mediation_cancel(
            session=_session(complaint, data["session"]), actor=actor, now=now, reason=data["reason"]
        )
    elif step == "promise":
        promise = complaint.promises.filter(pk=data["promise"]).first()
        if promise is None:
            raise NotFound(_("Không tìm thấy cam kết."))
        promise.complaint = complaint
        mediation.promise_mark(promise=promise, actor=actor, now=now, kept=data["kept"], note=data["note"])


@staff_only
@domain_errors
def mediation_pdf(request: HttpRequest, code: str, session_id: int) -> HttpResponse:
    complaint = get_complaint_for_user(request.user, code, action=Action.MEDIATE)
    session = _session(complaint, session_id)
    if session.status != SessionStatus.HELD:
        # Minutes exist only for a session that took place; a printout of any other would be a false record.
        raise Http404
    now = timezone.now()
    # The printout carries the consumer's name: an unmasking, audited like any other.
    case_services.complaint_reveal_contact(
        complaint=complaint,
        actor=request.user,
        now=now,
        purpose=_("In biên bản hòa giải phiên %(n)s") % {"n": session.number},
    )
    return mediation_pdf_response(session, now=now)


# --- staff: the registry ------------------------------------------------------------------------------


@staff_only
def registry_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    businesses = search_businesses(query).select_related("province")
    page = Paginator(businesses, PAGE_SIZE).get_page(request.GET.get("page"))
    # The pager keeps the search, encoded: "H&M" is one query, not "H" and a stray parameter.
    pager_extra = "&" + urlencode({"q": query}) if query else ""
    context = {
        "page": page,
        "q": query,
        "pager_extra": pager_extra,
        "may_edit": registry.may_change_registry(request.user),
    }
    return render(request, "businesses/registry.html", context)


@staff_only
@require_http_methods(["GET", "POST"])
@domain_errors
def business_new(request: HttpRequest) -> HttpResponse:
    registry.require_registrar(request.user)  # not the read-only roles: no form they cannot send
    provinces = current_provinces()
    form = BusinessForm(request.POST or None, provinces=provinces)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            business = registry.business_create(
                actor=request.user,
                now=timezone.now(),
                name=data["name"],
                tax_code=data["tax_code"],
                province_id=data["province"] or None,
                address=data["address"],
                website=data["website"],
                aliases=form.split("aliases"),
                shops=form.split("shops"),
            )
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã thêm doanh nghiệp."))
            return redirect("businesses:detail", pk=business.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "businesses/new.html", {"form": form}, status=status)


def _business(pk: int) -> Business:
    business = Business.objects.select_related("province", "sector", "merged_into").filter(pk=pk).first()
    if business is None:
        raise Http404
    return business


@staff_only
def business_detail(
    request: HttpRequest, pk: int, forms: dict | None = None, status: int = 200
) -> HttpResponse:
    business = _business(pk)
    if business.merged_into_id:
        messages.info(request, _("Hồ sơ này đã được gộp vào hồ sơ khác."))
        return redirect("businesses:detail", pk=registry.active(business).pk)
    now = timezone.now()
    complaints = Paginator(
        business.complaints.select_related("owner_agency").order_by("-received_at"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    forms = forms or {}
    context = {
        "business": business,
        "card": scorecard(business, public=False, now=now),
        "public_card": scorecard(business, public=True, now=now),
        "names": business.names.order_by("kind", "name"),
        "members": business.members.select_related("user"),
        "invitations": business.invitations.filter(accepted_at__isnull=True, expires_at__gte=now),
        "tokens": business.api_tokens.filter(revoked_at__isnull=True),
        "complaints": complaints,
        "events": business.events.select_related("actor").order_by("-created_at")[:20],
        "invite_form": forms.get("invite") or InviteForm(),
        "token_form": forms.get("token") or TokenForm(),
        "merge_form": forms.get("merge") or MergeForm(),
        "shown_token": forms.get("shown_token"),
        "merge_preview": forms.get("merge_preview"),
        # The read-only roles (auditor, hotline) see the record without the forms they could not send.
        "may_edit": registry.may_change_registry(request.user),
    }
    return render(request, "businesses/detail.html", context, status=status)


@staff_only
@require_POST
@domain_errors
def business_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    registry.require_registrar(request.user)  # every action here changes the record: 403 for read-only roles
    business = _business(pk)
    now = timezone.now()
    handlers = {"invite": (InviteForm, _invite), "token": (TokenForm, _token), "merge": (MergeForm, _merge)}
    if action == "revoke":
        token = business.api_tokens.filter(pk=_int(request.POST.get("token"))).first()
        if token is None:
            raise Http404
        portal.api_token_revoke(token=token, actor=request.user, now=now)
        messages.success(request, _("Đã thu hồi khóa."))
        return redirect("businesses:detail", pk=pk)
    if action not in handlers:
        raise Http404
    form_class, handler = handlers[action]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            return handler(request, business, form, now)
        except DomainError as error:
            _add_errors(form, error)
    return business_detail.__wrapped__(request, pk, forms={action: form}, status=422)


def _invite(request, business, form, now):
    _invitation, token = portal.invitation_create(
        business=business, email=form.cleaned_data["email"], actor=request.user, now=now
    )
    messages.success(
        request,
        _("Đã gửi lời mời tới %(email)s. Đường dẫn dùng một lần: %(url)s")
        % {
            "email": form.cleaned_data["email"],
            # The address this officer reached the site by (the e-mail uses SITE_URL).
            "url": request.build_absolute_uri(reverse("businesses:invitation", args=[token])),
        },
    )
    return redirect("businesses:detail", pk=business.pk)


def _token(request, business, form, now):
    token = portal.api_token_issue(
        business=business, name=form.cleaned_data["name"], actor=request.user, now=now
    )
    # Shown once, on this response only; never stored in clear.
    return business_detail.__wrapped__(request, business.pk, forms={"shown_token": token})


def _merge(request, business, form, now):
    duplicate = Business.objects.filter(pk=form.cleaned_data["duplicate"]).first()
    if duplicate is None:
        raise FieldErrors([FieldError("duplicate", _("Không tìm thấy hồ sơ doanh nghiệp này."))])
    # Refuse now what the merge would refuse, rather than ask to confirm it first.
    registry.check_merge(keep=business, duplicate=duplicate)
    if not form.cleaned_data["confirm"]:
        # A destructive step: show what will move and ask again.
        duplicate = registry.active(duplicate)
        preview = {"duplicate": duplicate, "complaints": duplicate.complaints.count()}
        return business_detail.__wrapped__(
            request, business.pk, forms={"merge": form, "merge_preview": preview}
        )
    registry.business_merge(keep=business, duplicate=duplicate, actor=request.user, now=now)
    messages.success(request, _("Đã gộp hồ sơ doanh nghiệp trùng; mọi khiếu nại đã được chuyển sang."))
    return redirect("businesses:detail", pk=business.pk)


# --- staff: import ------------------------------------------------------------------------------------


@staff_only
@require_http_methods(["GET", "POST"])
@domain_errors
def import_new(request: HttpRequest) -> HttpResponse:
    portal.require_inviter(request.user)  # not the read-only roles: no form they cannot send
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = importer.import_upload(
                upload=form.cleaned_data["file"], actor=request.user, now=timezone.now()
            )
        except DomainError as error:
            _add_errors(form, error)
        else:
            return redirect("businesses:import", pk=batch.pk)
    recent = BusinessImport.objects.filter(uploaded_by=request.user)[:10]
    status = 422 if request.method == "POST" else 200
    return render(request, "businesses/import_new.html", {"form": form, "recent": recent}, status=status)


# The column each error is about, as the spreadsheet's header names it ("Mã số thuế", not "tax_code").
IMPORT_COLUMNS = {field: spellings[0] for field, spellings in COLUMNS.items()}


def _batch(request, pk) -> BusinessImport:
    batch = BusinessImport.objects.filter(pk=pk, uploaded_by=request.user).first()
    if batch is None:
        raise Http404
    return batch


@staff_only
@domain_errors
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    preview, preview_errors = [], []
    if batch.status == ImportStatus.PREVIEW:
        try:
            preview, preview_errors = importer.import_preview(batch)
        except DomainError:
            batch.refresh_from_db()
    errors = Paginator(batch.row_errors.all(), 50).get_page(request.GET.get("page"))
    context = {
        "batch": batch,
        "preview": preview,
        "preview_errors": preview_errors,
        "errors": errors,
        "columns": IMPORT_COLUMNS,
    }
    # htmx polls the progress while the file is imported: only that part of the page.
    template = "businesses/import.html"
    if request.headers.get("HX-Request"):
        template += "#progress"
    return render(request, template, context)


@staff_only
@require_POST
@domain_errors
def import_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    batch = _batch(request, pk)
    now = timezone.now()
    try:
        if step == "confirm":
            importer.import_confirm(batch=batch, actor=request.user, now=now)
        elif step == "cancel":
            importer.import_cancel(batch=batch, actor=request.user, now=now)
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("businesses:import", pk=batch.pk)


@staff_only
def import_errors_csv(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="loi-nhap-{batch.pk}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    writer = csv.writer(response)
    writer.writerow([_("Dòng"), _("Cột"), _("Lỗi"), _("Giá trị")])
    for error in batch.row_errors.all().iterator():
        column = IMPORT_COLUMNS.get(error.field, error.field)
        message, value = _spreadsheet_text(error.message), _spreadsheet_text(error.value)
        writer.writerow([error.row, column, message, value])
    return response


def _spreadsheet_text(value: str) -> str:
    """The values come from the uploaded file: a cell starting like a formula ("=HYPERLINK(...)") would run
    as one when the report is opened in Excel (CSV injection). A leading apostrophe makes it text."""
    return f"'{value}" if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


# --- staff: mass-complaint alerts ---------------------------------------------------------------------


def _alerts_for(user):
    membership = membership_of(user)
    alerts_qs = MassAlert.objects.select_related("province", "business")
    if membership.role in {"national", "auditor"}:
        return alerts_qs
    return alerts_qs.filter(province_id=membership.agency.province_id)


@staff_only
def alert_list(request: HttpRequest) -> HttpResponse:
    alerts_qs = _alerts_for(request.user).annotate(case_count=Count("complaints")).order_by("-updated_at")
    page = Paginator(alerts_qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "businesses/alerts.html", {"page": page})


@staff_only
@require_http_methods(["GET", "POST"])
@domain_errors
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _alerts_for(request.user).filter(pk=pk).first()
    if alert is None:
        raise Http404
    if request.method == "POST":
        try:
            alerts.alert_acknowledge(alert=alert, actor=request.user, now=timezone.now())
            messages.success(request, _("Đã tiếp nhận cảnh báo."))
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("businesses:alert", pk=alert.pk)
    cases = alert.complaints.select_related("owner_agency").order_by("received_at")
    context = {
        "alert": alert,
        "cases": cases,
        "recipients": alerts.alert_recipients(alert),
        # The button only for those who may press it: the recipients and the national authority.
        "open": alert.status == AlertStatus.OPEN and alerts.may_acknowledge(request.user, alert),
    }
    return render(request, "businesses/alert.html", context)


# --- the business portal ------------------------------------------------------------------------------

PORTAL_TABS = {
    "can-tra-loi": lambda cases: cases.filter(
        status__in=BUSINESS_STAGE, referral__status__in=[ReferralStatus.WAITING, ReferralStatus.IN_PROGRESS]
    ),
    "da-tra-loi": lambda cases: cases.exclude(
        referral__status__in=[ReferralStatus.WAITING, ReferralStatus.IN_PROGRESS]
    ),
    "tat-ca": lambda cases: cases,
}


@business_only
def portal_home(request: HttpRequest, business: Business) -> HttpResponse:
    tab = request.GET.get("tab", "can-tra-loi")
    if tab not in PORTAL_TABS:
        tab = "can-tra-loi"
    cases = PORTAL_TABS[tab](portal.business_complaints(business).select_related("referral"))
    cases = cases.order_by("-referral__priority", "referral__answer_due_at", "pk")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(c, mask_name(c.consumer_name)) for c in page.object_list]
    return render(
        request, "businesses/portal.html", {"business": business, "page": page, "rows": rows, "tab": tab}
    )


@business_only
@require_http_methods(["GET", "POST"])
@domain_errors
def portal_case(request: HttpRequest, business: Business, code: str, step: str = "") -> HttpResponse:
    complaint = portal.get_complaint_for_business(business, code)
    answer_form, hand_form = AnswerForm(), HandOverForm()
    status = 200
    if request.method == "POST":
        if step not in {"answer", "hand_over"}:
            raise Http404
        form = AnswerForm(request.POST) if step == "answer" else HandOverForm(request.POST)
        if form.is_valid():
            try:
                _portal_step(request, business, complaint, step, form.cleaned_data)
            except DomainError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Đã gửi. Người tiêu dùng và cơ quan được thông báo."))
                return redirect("businesses:portal_case", code=complaint.tracking_code)
        answer_form, hand_form = (form, hand_form) if step == "answer" else (answer_form, form)
        complaint = portal.get_complaint_for_business(business, code)
        status = 422
    referral = complaint.referral
    context = {
        "business": business,
        "complaint": complaint,
        "referral": referral,
        "answers": referral.answers.all(),
        "consumer": mask_name(complaint.consumer_name),
        "can_answer": referral.status in {ReferralStatus.WAITING, ReferralStatus.IN_PROGRESS}
        and complaint.status in BUSINESS_STAGE,
        "answer_form": answer_form,
        "hand_form": hand_form,
        "attachments": complaint.attachments.filter(message__isnull=True),
    }
    return render(request, "businesses/portal_case.html", context, status=status)


def _portal_step(request, business, complaint, step, data) -> None:
    now = timezone.now()
    if step == "answer":
        stage.referral_answer(
            complaint=complaint,
            business=business,
            now=now,
            kind=data["kind"],
            body=data["body"],
            amount_vnd=data["amount_vnd"],
            expected_on=data["expected_on"],
            author=request.user,
        )
    else:
        stage.referral_hand_over(
            complaint=complaint,
            business=business,
            now=now,
            third_party=data["third_party"],
            author=request.user,
        )


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    now = timezone.now()
    try:
        invite = portal.invitation_for_token(token, now)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        return render(request, "businesses/invitation.html", {"problem": error.message}, status=410)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = portal.invitation_accept(token=token, now=now, **form.cleaned_data)
        except DomainError as error:
            _add_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Chào mừng! Tài khoản doanh nghiệp đã sẵn sàng."))
            return redirect("businesses:portal")
    status = 422 if request.method == "POST" else 200
    return render(request, "businesses/invitation.html", {"form": form, "invite": invite}, status=status)


# --- the public -----------------------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    businesses = search_businesses(query) if query.strip() else Business.objects.none()
    page = Paginator(businesses, PAGE_SIZE).get_page(request.GET.get("page"))
    # The pager's links keep the query, encoded: a name may hold "&", "+" or "#".
    extra = "&" + urlencode({"q": query}) if query else ""
    return render(request, "businesses/public_list.html", {"page": page, "q": query, "pager_extra": extra})


def public_scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(pk)
    if business.merged_into_id:
        return redirect("businesses:public", pk=registry.active(business).pk)
    card = scorecard(business, public=True, now=timezone.now())
    return render(request, "businesses/public.html", {"business": business, "card": card})
