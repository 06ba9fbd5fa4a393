"""The deadline sweep: due soon and overdue are recorded once per due date; resolved cases close after the
dispute window."""

import pytest
from django.core import mail

from bvntd.complaints import services
from bvntd.complaints.states import Outcome, Status
from bvntd.complaints.sweep import sweep_deadlines
from tests_helpers import vn


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db
def test_due_soon_then_overdue_each_recorded_once(
    make_complaint, django_capture_on_commit_callbacks, settings
):
    settings.BVNTD = {**settings.BVNTD, "DUE_SOON_WORKING_DAYS": 1}
    complaint = make_complaint(at=vn(2026, 11, 2))  # accept by Thu 5/11
    assert sweep_deadlines(now=vn(2026, 11, 3)) == {"due_soon": 0, "overdue": 0, "closed": 0}
    with django_capture_on_commit_callbacks(execute=True):
        first = sweep_deadlines(now=vn(2026, 11, 4, 10))
    assert first["due_soon"] == 1
    assert sweep_deadlines(now=vn(2026, 11, 4, 11))["due_soon"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        late = sweep_deadlines(now=vn(2026, 11, 6, 8))
    assert late["overdue"] == 1
    assert sweep_deadlines(now=vn(2026, 11, 9))["overdue"] == 0
    kinds = list(complaint.events.values_list("kind", flat=True))
    assert kinds == ["created", "due_soon", "overdue"]
    # The owner was told, by mail naming the case and not the consumer.
    subjects = [message.subject for message in mail.outbox]
    assert any("sắp đến hạn" in s for s in subjects) and any("quá hạn" in s for s in subjects)
    assert all("Nguyễn" not in message.body for message in mail.outbox if "hạn" in message.subject)


@pytest.mark.django_db
def test_the_escalation_ladder_widens_the_recipients(make_complaint, personas):
    from bvntd.complaints.notifications import deadline_recipients

    personas["lanhdao.sct"].email = "lanhdao@sct.example"
    personas["lanhdao.sct"].save()
    personas["canbo.sct"].email = "lan@sct.example"
    personas["canbo.sct"].save()
    complaint = make_complaint(at=vn(2026, 11, 2))
    services.complaint_assign_officer(
        complaint=complaint,
        actor=personas["lanhdao.sct"],
        now=vn(2026, 11, 2, 10),
        officer=personas["canbo.sct"],
    )
    soon = deadline_recipients(complaint, overdue=False)
    late = deadline_recipients(complaint, overdue=True)
    assert soon == [complaint.owner_agency.email, "lan@sct.example"]
    assert set(late) == {
        complaint.owner_agency.email,
        "lan@sct.example",
        "lanhdao@sct.example",
        "sct-cp.vinh-long@bvntd.example",
    }


@pytest.mark.django_db
def test_a_new_due_date_can_be_warned_about_again(make_complaint, personas):
    complaint = make_complaint(at=vn(2026, 11, 2))
    sweep_deadlines(now=vn(2026, 11, 6, 8))  # accept deadline missed
    services.complaint_accept(complaint=complaint, actor=personas["canbo.sct"], now=vn(2026, 11, 6, 9))
    # The resolve clock is a new due date: it gets its own overdue event when it passes.
    assert sweep_deadlines(now=vn(2026, 12, 31))["overdue"] == 1
    assert complaint.events.filter(kind="overdue").count() == 2


@pytest.mark.django_db
def test_closed_cases_are_not_swept(make_complaint):
    complaint = make_complaint(at=vn(2026, 11, 2))
    services.complaint_withdraw(complaint=complaint, now=vn(2026, 11, 2, 10))
    assert sweep_deadlines(now=vn(2026, 12, 1)) == {"due_soon": 0, "overdue": 0, "closed": 0}


@pytest.mark.django_db
def test_resolved_cases_close_when_the_dispute_window_has_passed(make_complaint, personas):
    officer = personas["canbo.sct"]
    complaint = make_complaint(at=vn(2026, 10, 1))
    services.complaint_accept(complaint=complaint, actor=officer, now=vn(2026, 10, 1))
    services.complaint_resolve(
        complaint=complaint,
        actor=officer,
        now=vn(2026, 10, 5),
        outcome=Outcome.SETTLED,
        summary="Đã thương lượng.",
    )
    assert sweep_deadlines(now=vn(2026, 10, 20, 23))["closed"] == 0
    assert sweep_deadlines(now=vn(2026, 10, 21, 1))["closed"] == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.events.last().actor_label == "system"


@pytest.mark.django_db(transaction=True)
def test_two_sweepers_at_once_record_each_overdue_case_once(make_complaint, transactional_db):
    """Two processes sweeping at the same moment (PostgreSQL: row locks, the second skips what the first
    holds; SQLite: one writer at a time)."""
    import threading

    from django.db import connection, connections

    from bvntd.complaints.models import ComplaintEvent
    from bvntd.complaints.sweep import mark_overdue

    if connection.vendor != "postgresql":
        pytest.skip("threads sharing an in-memory SQLite test database do not model two processes")
    cases = [make_complaint(at=vn(2026, 11, 2)) for _ in range(30)]
    results, start = [], threading.Barrier(2)

    def sweeper():
        try:
            start.wait()
            results.append(mark_overdue(vn(2026, 11, 9)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(results) == 30
    overdue = ComplaintEvent.objects.filter(kind="overdue", complaint__in=cases)
    assert sorted(overdue.values_list("complaint_id", flat=True)) == sorted(c.pk for c in cases)
