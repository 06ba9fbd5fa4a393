"""`manage.py seed_demo`: realistic demo data made through the services, in every state, idempotent."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from bvntd.complaints.demo import seed_demo
from bvntd.complaints.models import Complaint, ComplaintEvent
from bvntd.complaints.states import Status
from bvntd.core.personas import PERSONAS


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The demo logins get a password; the default hasher takes ~0.3 s each on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_it_seeds_complaints_in_every_state_through_the_services(personas):
    output = seed(complaints=40, seed=7)

    assert "Seeded 40 demo complaints" in output
    assert Complaint.objects.count() == 40
    assert set(Complaint.objects.values_list("status", flat=True)) == set(Status.values)
    # One owner each (the column is not nullable: check it is set), and a history that starts at intake.
    assert not Complaint.objects.filter(owner_agency__isnull=True).exists()
    counted = Complaint.objects.annotate(n=Count("events"))
    assert not counted.filter(n=0).exists()
    assert ComplaintEvent.objects.filter(kind="created").count() == 40
    # Every change went through a service: the last event tells the case's state and owner.
    for complaint in Complaint.objects.all():
        last = complaint.events.last()
        assert (last.to_status, last.to_agency_id) == (complaint.status, complaint.owner_agency_id)
    assert Complaint.objects.filter(province_id="86").count() > 20
    user_model = get_user_model()
    assert user_model.objects.filter(username__in=[p.username for p in PERSONAS]).count() == len(PERSONAS)
    assert user_model.objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_running_it_twice_adds_nothing(personas):
    seed(complaints=40, seed=7)
    counts = (Complaint.objects.count(), ComplaintEvent.objects.count(), get_user_model().objects.count())

    output = seed(complaints=40, seed=7)

    assert "already exist" in output
    assert (
        Complaint.objects.count(),
        ComplaintEvent.objects.count(),
        get_user_model().objects.count(),
    ) == counts


@pytest.mark.django_db
def test_it_seeds_nothing_when_a_complaint_exists(personas, make_complaint):
    make_complaint()

    output = seed(complaints=10)

    assert "already exist" in output
    assert Complaint.objects.count() == 1


@pytest.mark.django_db
def test_the_same_seed_and_time_give_the_same_cases(personas, now):
    def seeded() -> list[tuple]:
        with transaction.atomic():
            seed_demo(count=30, seed=3, now=now)
            rows = list(
                Complaint.objects.order_by("received_at").values_list(
                    "received_at", "business_name", "status", "amount_vnd", "due_at"
                )
            )
            transaction.set_rollback(True)  # seeding runs once per database; undo it to seed again
        return rows

    first = seeded()
    assert len(first) == 30
    assert seeded() == first
