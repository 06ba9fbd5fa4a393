"""Throttling of the consumer's look-up (tracking code + phone or e-mail): a client that fails too often in
a window is refused for a while, so codes cannot be guessed even with a leaked phone list. Counted in the
database, so every web worker on every machine sees the same count."""

import datetime as dt

from django.conf import settings
from django.db import transaction

from bvntd.core.crypto import blind_index

from .models import LookupFailure


def client_key(request) -> str:
    return blind_index("lookup-client", request.META.get("REMOTE_ADDR", "") or "unknown")


def _window_start(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(minutes=settings.BVNTD["LOOKUP_WINDOW_MINUTES"])


def lookup_blocked(key: str, now: dt.datetime) -> bool:
    failures = LookupFailure.objects.filter(client_hash=key, created_at__gte=_window_start(now)).count()
    return failures >= settings.BVNTD["LOOKUP_MAX_FAILURES"]


@transaction.atomic
def record_failure(key: str, now: dt.datetime) -> None:
    LookupFailure.objects.filter(client_hash=key, created_at__lt=_window_start(now)).delete()
    LookupFailure.objects.create(client_hash=key, created_at=now)
