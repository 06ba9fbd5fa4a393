"""The transfer protocol's steps from the case page. Thin: the services check who may do what."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bvntd.complaints.access import get_complaint_for_user
from bvntd.complaints.forms import Form
from bvntd.complaints.views import case_page_context, domain_errors
from bvntd.core.errors import DomainError, NotFound, PermissionDenied

from . import board as board_module
from . import joint, transfers
from .forms import (
    AnswerTaskForm,
    ContestTransferForm,
    DecideTransferForm,
    ProposeTransferForm,
    RequestTaskForm,
)


@login_required
@require_POST
@domain_errors
def transfer_step(request, code: str, step: str):
    complaint = get_complaint_for_user(request.user, code)
    now = timezone.now()
    pending = transfers.open_transfer(complaint)
    if step != "propose" and pending is None:
        raise Http404
    form = _bound_form(step, request.POST, complaint, pending)
    if form is not None and not form.is_valid():
        return _again(request, complaint, step, form)
    try:
        _perform(step, request.user, now, complaint, pending, form.cleaned_data if form else {})
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        if form is None:  # accept and withdraw have no fields; an empty bound form carries the error
            form = Form(data={})
            form.is_valid()
        form.add_error(None, error.message)
        return _again(request, complaint, step, form)
    messages.success(request, _("Đã ghi nhận."))
    return redirect("complaints:case", code=complaint.tracking_code)


def _bound_form(step, data, complaint, pending):
    if step == "propose":
        return ProposeTransferForm(data, complaint=complaint)
    if step == "contest":
        return ContestTransferForm(data)
    if step == "decide":
        return DecideTransferForm(data, transfer=pending)
    if step in {"accept", "withdraw"}:
        return None
    raise Http404


def _perform(step, actor, now, complaint, pending, data):
    if step == "propose":
        transfers.transfer_propose(
            complaint=complaint,
            actor=actor,
            now=now,
            to_agency=data["to_agency"],
            reason_code=data["reason_code"],
            legal_basis=data["legal_basis"],
            duplicate_of=data["duplicate_of"],
        )
    elif step == "accept":
        transfers.transfer_accept(transfer=pending, actor=actor, now=now)
    elif step == "contest":
        transfers.transfer_contest(transfer=pending, actor=actor, now=now, reason=data["reason"])
    elif step == "decide":
        transfers.transfer_decide(
            transfer=pending, actor=actor, now=now, owner=data["owner"], reason=data["reason"]
        )
    elif step == "withdraw":
        transfers.transfer_withdraw(transfer=pending, actor=actor, now=now)


def _again(request, complaint, step, form):
    complaint.refresh_from_db()
    context = case_page_context(request, complaint)
    context["transfer"]["forms"][step] = form
    context["transfer"]["failed"] = step
    return render(request, "complaints/case.html", context, status=422)


BOARD_DAYS = 365


@login_required
@domain_errors
def board(request):
    now = timezone.now()
    scope = board_module.board_scope(request.user)
    since = now - dt.timedelta(days=BOARD_DAYS)
    context = {
        "scope": scope,
        "triage": board_module.triage_queue(scope)[:50],
        "arbitrations": board_module.arbitration_queue(scope),
        "bouncing": board_module.bouncing(scope)[:50],
        "overdue": board_module.overdue(scope, now)[:50],
        "long_overdue": board_module.overdue(scope, now, long_overdue=True),
        "rows": board_module.agency_table(scope, since),
        "metrics": board_module.METRICS,
        "days": BOARD_DAYS,
    }
    return render(request, "routing/board.html", context)


@login_required
@domain_errors
def board_cases(request, agency_code: str, metric: str):
    scope = board_module.board_scope(request.user)
    agency = scope.agencies().filter(code=agency_code).first()
    if agency is None or metric not in board_module.METRICS:
        raise Http404
    since = timezone.now() - dt.timedelta(days=BOARD_DAYS)
    cases = (
        board_module.metric_cases(agency, metric, since)
        .select_related("owner_agency")
        .order_by("-received_at")
    )
    return render(
        request,
        "routing/board_cases.html",
        {"agency": agency, "metric": metric, "cases": cases[:200], "count": cases.count()},
    )


@login_required
@require_POST
@domain_errors
def task_step(request, code: str, step: str):
    """Joint handling: the lead asks (step "request"), a supporting agency answers (step "answer-<id>")."""
    complaint = get_complaint_for_user(request.user, code)
    task = None
    if step == "request":
        form = RequestTaskForm(request.POST, complaint=complaint)
    elif step.startswith("answer-") and step.removeprefix("answer-").isdigit():
        task = complaint.support_tasks.filter(pk=int(step.removeprefix("answer-"))).first()
        if task is None:
            raise Http404
        form = AnswerTaskForm(request.POST)
    else:
        raise Http404
    if form.is_valid():
        try:
            _perform_task_step(request.user, timezone.now(), complaint, task, form.cleaned_data)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã ghi nhận."))
            return redirect("complaints:case", code=complaint.tracking_code)
    complaint.refresh_from_db()
    context = case_page_context(request, complaint)
    if task is None:
        context["joint"]["request_form"] = form
    else:
        context["joint"]["answer_forms"][task.pk] = form
    return render(request, "complaints/case.html", context, status=422)


def _perform_task_step(actor, now, complaint, task, data) -> None:
    if task is None:
        joint.task_request(
            complaint=complaint,
            actor=actor,
            now=now,
            agency=data["agency"],
            request=data["request"],
            working_days=data["working_days"],
        )
    else:
        joint.task_answer(task=task, actor=actor, now=now, answer=data["answer"])
