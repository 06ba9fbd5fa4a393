"""Random sequences of service calls, by random people, at random times. After every step: exactly one
owner, one event per successful change and none for a refused one, the event's status agrees with the case,
and no due date lies before the event that set it."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from bvntd.agencies.models import Agency
from bvntd.complaints import services
from bvntd.complaints.models import Complaint
from bvntd.complaints.states import ALLOWED, OPEN, Outcome, RejectReason, Status
from bvntd.core.calendar import VN_TZ
from bvntd.core.errors import DomainError
from bvntd.core.personas import create_personas
from tests_helpers import run_isolated

STAFF = ["canbo.sct", "lanhdao.sct", "dieuphoi.vl", "canbo.syt", "canbo.hanoi", "kiemtoan"]
STAFF_ACTIONS = [
    "accept",
    "start",
    "request_info",
    "reassign",
    "extend",
    "resolve",
    "reject",
    "close",
    "note",
]
CONSUMER_ACTIONS = ["reply", "dispute", "rate", "withdraw"]


class ComplaintMachine(RuleBasedStateMachine):
    @initialize()
    def file_a_complaint(self):
        from bvntd.complaints.intake import parse_intake
        from conftest import valid_intake

        self.users = create_personas(password=None)
        self.agencies = list(Agency.objects.filter(code__in=["86-sct", "86-health", "86-qltt", "01-sct"]))
        self.now = dt.datetime(2026, 1, 5, 9, tzinfo=VN_TZ)
        data = parse_intake(valid_intake(purchased_on="2026-01-01"), today=self.now.date())
        self.complaint, _ = services.complaint_submit(data=data, channel="web", now=self.now)
        self.events = 1

    def _act(self, call) -> None:
        fresh = Complaint.objects.get(pk=self.complaint.pk)
        before = (fresh.status, fresh.owner_agency_id)
        try:
            call(fresh)
        except DomainError:
            after = Complaint.objects.get(pk=fresh.pk)
            assert (after.status, after.owner_agency_id) == before, "a refused call changed the case"
            return
        self.events += 1
        if fresh.status != before[0]:
            assert fresh.status in ALLOWED[before[0]], f"{before[0]} -> {fresh.status} is not in the table"

    @rule(hours=st.integers(min_value=1, max_value=24 * 12))
    def time_passes(self, hours):
        self.now += dt.timedelta(hours=hours)

    @rule(who=st.sampled_from(STAFF), action=st.sampled_from(STAFF_ACTIONS), pick=st.integers(0, 3))
    def staff_acts(self, who, action, pick):
        actor, now = self.users[who], self.now
        calls = {
            "accept": lambda c: services.complaint_accept(complaint=c, actor=actor, now=now),
            "start": lambda c: services.complaint_start(complaint=c, actor=actor, now=now),
            "request_info": lambda c: services.complaint_request_info(
                complaint=c, actor=actor, now=now, message="Cần hóa đơn."
            ),
            "reassign": lambda c: services.complaint_reassign(
                complaint=c, actor=actor, now=now, to_agency=self.agencies[pick], reason="Sai thẩm quyền."
            ),
            "extend": lambda c: services.complaint_extend(
                complaint=c, actor=actor, now=now, reason="Giám định."
            ),
            "resolve": lambda c: services.complaint_resolve(
                complaint=c, actor=actor, now=now, outcome=Outcome.SETTLED, summary="Đã hòa giải."
            ),
            "reject": lambda c: services.complaint_reject(
                complaint=c,
                actor=actor,
                now=now,
                reason_code=RejectReason.NO_REPLY,
                explanation="Không bổ sung.",
            ),
            "close": lambda c: services.complaint_close(complaint=c, actor=actor, now=now),
            "note": lambda c: services.complaint_add_note(complaint=c, actor=actor, now=now, body="Ghi chú."),
        }
        self._act(calls[action])

    @rule(action=st.sampled_from(CONSUMER_ACTIONS), rating=st.integers(1, 5))
    def consumer_acts(self, action, rating):
        now = self.now
        calls = {
            "reply": lambda c: services.complaint_consumer_reply(complaint=c, now=now, body="Bổ sung."),
            "dispute": lambda c: services.complaint_dispute(complaint=c, now=now, reason="Chưa thỏa đáng."),
            "rate": lambda c: services.complaint_rate(complaint=c, now=now, rating=rating),
            "withdraw": lambda c: services.complaint_withdraw(complaint=c, now=now),
        }
        self._act(calls[action])

    @rule()
    def sweep(self):
        from bvntd.complaints.sweep import sweep_deadlines

        counts = sweep_deadlines(now=self.now)
        self.events += sum(counts.values())

    @invariant()
    def exactly_one_owner_and_one_event_per_change(self):
        if not hasattr(self, "complaint"):
            return
        complaint = Complaint.objects.get(pk=self.complaint.pk)
        assert complaint.owner_agency_id is not None
        events = list(complaint.events.order_by("created_at", "id"))
        assert len(events) == self.events
        last = events[-1]
        assert last.to_status == complaint.status
        assert last.to_agency_id == complaint.owner_agency_id
        for event in events:
            if event.due_at is not None and event.kind not in {"due_soon", "overdue"}:
                assert event.due_at >= event.created_at, f"{event.kind} set a due date in the past"
        if complaint.status in OPEN and complaint.status != Status.RESOLVED:
            assert complaint.due_at is not None
        assert complaint.version == 1 + sum(
            1 for e in events if e.kind not in {"created", "due_soon", "overdue"}
        )


@pytest.mark.django_db
def test_random_service_sequences_keep_the_invariants():
    machine = settings(
        max_examples=40,
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )(ComplaintMachine)
    run_isolated(machine)
