"""Periodic retraining of the sector model, so that it learns from the agencies' closed cases."""

import datetime as dt

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from .models import RouterModel


def retrain_due(now: dt.datetime) -> bool:
    """A model exists (an administrator trained the first one) and the newest is older than the setting."""
    newest = RouterModel.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    return newest is not None and newest < now - dt.timedelta(hours=settings.BVNTD["ROUTER_RETRAIN_HOURS"])


@task()
def retrain_router() -> str:
    from .services import router_train

    now = timezone.now()
    if not retrain_due(now):
        return "fresh"  # another worker already retrained
    return router_train(now=now).version


def enqueue_retrain_if_due(now: dt.datetime) -> int:
    if not retrain_due(now):
        return 0
    retrain_router.enqueue()
    return 1
