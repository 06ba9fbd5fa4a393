"""Background work of the business side. Tasks are thin: they call a service."""

from django.tasks import task
from django.utils import timezone


@task()
def run_import(*, batch_id: int) -> str:
    from .importer import import_run

    return import_run(batch_id=batch_id).status


@task()
def detect_mass_complaint(*, complaint_id: int) -> int | None:
    from bvntd.complaints.models import Complaint

    from .alerts import detect_mass_complaint as detect

    complaint = Complaint.objects.select_related("business", "province", "business_province").get(
        pk=complaint_id
    )
    alert = detect(complaint=complaint, now=timezone.now())
    return alert.pk if alert else None
