"""Intake's tasks (the acknowledgement e-mail, the mass-complaint check) are written in the intake's own
transaction: they exist exactly when the complaint does."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult


class Abort(Exception):
    pass


@pytest.mark.django_db
def test_a_complaint_and_its_tasks_are_committed_together(make_complaint):
    make_complaint()  # with an e-mail address: the acknowledgement, the agency's notice, the check
    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == [
        "bvntd.businesses.tasks.detect_mass_complaint",
        "bvntd.complaints.tasks.send_email",
        "bvntd.complaints.tasks.send_email",
    ]


@pytest.mark.django_db
def test_a_failed_intake_leaves_no_task_behind(make_complaint):
    with pytest.raises(Abort), transaction.atomic():
        make_complaint()
        assert DBTaskResult.objects.count() == 3  # written in the transaction...
        raise Abort
    assert not DBTaskResult.objects.exists()  # ... and gone with it
