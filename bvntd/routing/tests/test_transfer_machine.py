"""Random propose/accept/contest/arbitrate/resolve sequences by random people at random times. After every
step: exactly one owner, every owner change has its event, ping-pong always reaches the arbiter, and
transfers never move the consumer's clock."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from bvntd.agencies.models import Agency
from bvntd.complaints import services
from bvntd.complaints.models import Complaint
from bvntd.complaints.states import Outcome
from bvntd.complaints.sweep import sweep_everything
from bvntd.core.calendar import VN_TZ
from bvntd.core.errors import DomainError
from bvntd.core.personas import create_personas
from bvntd.routing import transfers
from bvntd.routing.models import OPEN_TRANSFER, Transfer, TransferReason, TransferStatus
from tests_helpers import run_isolated

PEOPLE = ["canbo.sct", "canbo.syt", "canbo.hanoi", "dieuphoi.vl", "quocgia", "lanhdao.sct"]
TARGETS = ["86-sct", "86-health", "86-qltt", "01-sct"]
OWNER_CHANGES = {"transfer_accepted", "transfer_auto_accepted", "transfer_decided", "reassigned"}


class TransferMachine(RuleBasedStateMachine):
    @initialize()
    def file_a_complaint(self):
        from bvntd.complaints.intake import parse_intake
        from conftest import valid_intake

        self.users = create_personas(password=None)
        self.agencies = {a.code: a for a in Agency.objects.filter(code__in=TARGETS)}
        self.now = dt.datetime(2026, 3, 2, 9, tzinfo=VN_TZ)
        data = parse_intake(valid_intake(purchased_on="2026-02-01"), today=self.now.date())
        self.complaint, _ = services.complaint_submit(data=data, channel="web", now=self.now)
        self.owners_seen = [self.complaint.owner_agency_id]

    def _step(self, call) -> None:
        before = Complaint.objects.get(pk=self.complaint.pk)
        events_before = before.events.count()
        try:
            with transaction.atomic():
                call()
        except DomainError:
            after = Complaint.objects.get(pk=self.complaint.pk)
            assert after.owner_agency_id == before.owner_agency_id
            assert after.events.count() == events_before
            return
        after = Complaint.objects.get(pk=self.complaint.pk)
        if after.owner_agency_id != before.owner_agency_id:
            changes = after.events.filter(kind__in=OWNER_CHANGES).order_by("-id")
            last = changes.first()
            assert last is not None and last.id > 0
            assert (last.from_agency_id, last.to_agency_id) == (before.owner_agency_id, after.owner_agency_id)
            self.owners_seen.append(after.owner_agency_id)

    def _pending(self):
        return Transfer.objects.filter(complaint=self.complaint, status__in=OPEN_TRANSFER).first()

    @rule(hours=st.integers(1, 24 * 4))
    def time_passes(self, hours):
        self.now += dt.timedelta(hours=hours)

    @rule(who=st.sampled_from(PEOPLE), to=st.sampled_from(TARGETS))
    def propose(self, who, to):
        complaint = Complaint.objects.get(pk=self.complaint.pk)
        before_due = complaint.due_at
        self._step(
            lambda: transfers.transfer_propose(
                complaint=complaint,
                actor=self.users[who],
                now=self.now,
                to_agency=self.agencies[to],
                reason_code=TransferReason.OUTSIDE_SECTOR,
                legal_basis="Quy chế phối hợp.",
            )
        )
        assert Complaint.objects.get(pk=complaint.pk).due_at == before_due

    @rule(who=st.sampled_from(PEOPLE), answer=st.sampled_from(["accept", "contest", "withdraw"]))
    def answer(self, who, answer):
        pending = self._pending()
        if pending is None:
            return
        actor, now = self.users[who], self.now
        before_due = Complaint.objects.get(pk=self.complaint.pk).due_at
        calls = {
            "accept": lambda: transfers.transfer_accept(transfer=pending, actor=actor, now=now),
            "contest": lambda: transfers.transfer_contest(
                transfer=pending, actor=actor, now=now, reason="Không."
            ),
            "withdraw": lambda: transfers.transfer_withdraw(transfer=pending, actor=actor, now=now),
        }
        self._step(calls[answer])
        assert Complaint.objects.get(pk=self.complaint.pk).due_at == before_due

    @rule(who=st.sampled_from(PEOPLE), keep=st.booleans())
    def arbitrate(self, who, keep):
        pending = self._pending()
        if pending is None:
            return
        owner = pending.from_agency if keep else pending.to_agency
        self._step(
            lambda: transfers.transfer_decide(
                transfer=pending, actor=self.users[who], now=self.now, owner=owner, reason="Theo thẩm quyền."
            )
        )

    @rule(who=st.sampled_from(PEOPLE))
    def accept_or_resolve(self, who):
        complaint = Complaint.objects.get(pk=self.complaint.pk)
        actor = self.users[who]
        if complaint.status == "received":
            self._step(lambda: services.complaint_accept(complaint=complaint, actor=actor, now=self.now))
        else:
            self._step(
                lambda: services.complaint_resolve(
                    complaint=complaint, actor=actor, now=self.now, outcome=Outcome.SETTLED, summary="Xong."
                )
            )

    @rule()
    def sweep(self):
        before = Complaint.objects.get(pk=self.complaint.pk)
        sweep_everything(now=self.now)
        after = Complaint.objects.get(pk=self.complaint.pk)
        if after.owner_agency_id != before.owner_agency_id:
            last = after.events.filter(kind="transfer_auto_accepted").order_by("-id").first()
            assert last is not None and last.to_agency_id == after.owner_agency_id
            self.owners_seen.append(after.owner_agency_id)

    @invariant()
    def one_owner_every_change_traced_ping_pong_arbitrated(self):
        if not hasattr(self, "complaint"):
            return
        complaint = Complaint.objects.get(pk=self.complaint.pk)
        assert complaint.owner_agency_id is not None
        assert complaint.owner_agency_id == self.owners_seen[-1]
        # The owner history in the events is the owner history we saw.
        # (An arbiter who keeps the case with its holder records a decision that changes no owner.)
        changes = [
            e
            for e in complaint.events.filter(kind__in=OWNER_CHANGES).order_by("id")
            if e.from_agency_id != e.to_agency_id
        ]
        assert [e.to_agency_id for e in changes] == self.owners_seen[1:]
        # Ping-pong reaches the arbiter: only the first hand-over can happen without one.
        moved_without_arbiter = Transfer.objects.filter(
            complaint=complaint, status__in=[TransferStatus.ACCEPTED, TransferStatus.AUTO_ACCEPTED]
        ).count()
        assert moved_without_arbiter <= 1
        assert Transfer.objects.filter(complaint=complaint, status__in=OPEN_TRANSFER).count() <= 1


@pytest.mark.django_db
def test_random_transfer_sequences_keep_the_invariants():
    machine = settings(
        max_examples=40,
        stateful_step_count=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )(TransferMachine)

    run_isolated(machine)
