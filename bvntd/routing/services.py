"""Training, loading and using the sector model, and the routing decision at intake."""

import datetime as dt
import logging
import secrets
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from bvntd.agencies.models import Agency
from bvntd.agencies.queries import coordinator_unit, intake_owner
from bvntd.core.cache import reference_cached
from bvntd.core.calendar import local_date

from . import sector_model
from .models import RouterModel, SectorSuggestion

log = logging.getLogger(__name__)


def router_train(*, now: dt.datetime, include_cases: bool = True) -> RouterModel:
    """Train on the shipped seed set (less its held-out fifth) plus the agencies' closed cases, evaluate on
    the held-out fifth, store the model and make it the active one."""
    train, held_out = sector_model.split_seed(sector_model.load_seed())
    cases = closed_case_examples() if include_cases else []
    pipeline = sector_model.train(train + cases)
    metrics = sector_model.evaluate(pipeline, held_out)
    version = f"{now:%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
    with transaction.atomic():
        RouterModel.objects.filter(is_active=True).update(is_active=False)
        model = RouterModel.objects.create(
            version=version,
            created_at=now,
            is_active=True,
            training_rows={"seed": len(train), "cases": len(cases), "held_out": len(held_out)},
            metrics=metrics,
            blob=sector_model.dumps(pipeline),
        )
    log.info("Trained sector model %s: %s", version, metrics)
    return model


def closed_case_examples() -> list[sector_model.Example]:
    """The agencies' own finished cases: the sector the case ended under is the label."""
    from bvntd.complaints.models import Complaint
    from bvntd.complaints.states import Status

    rows = Complaint.objects.filter(
        status__in=[Status.RESOLVED, Status.CLOSED], sector__isnull=False
    ).values_list("description", "business_name", "sector_id")
    return [sector_model.Example(sector_model.document(d, b), s) for d, b, s in rows.iterator()]


_loaded: dict[str, object] = {}
_lock = threading.Lock()


@reference_cached
def _active_version() -> str | None:
    return RouterModel.objects.filter(is_active=True).values_list("version", flat=True).first()


def active_router() -> tuple[str, object] | None:
    """(version, pipeline) of the active model, loaded once per process and reloaded when another process
    trains a new one (one small query per call)."""
    version = _active_version()
    if version is None:
        return None
    with _lock:
        if version not in _loaded:
            blob = RouterModel.objects.values_list("blob", flat=True).get(version=version)
            _loaded.clear()
            _loaded[version] = sector_model.loads(bytes(blob))
        return version, _loaded[version]


def suggest_sector(*, text: str, business_name: str = "") -> sector_model.Suggestion | None:
    router = active_router()
    if router is None:
        return None
    version, pipeline = router
    return sector_model.predict(pipeline, sector_model.document(text, business_name), version=version)


@dataclass(frozen=True)
class RoutingDecision:
    owner: Agency
    suggestion: sector_model.Suggestion | None
    routed: bool  # the suggestion chose the owner


def route_intake(
    *, description: str, business_name: str, province_code: str, commune_code: str, now: dt.datetime
) -> RoutingDecision:
    """Who owns a new complaint. Without a trained model: the Sở Công Thương of the consumer's province
    (Decree 146/2025 Art.46(1)). With one: the competent lead agency for the suggested sector when the
    model is confident enough (a setting); otherwise the province's coordinating unit, whose triage queue
    it joins."""
    suggestion = suggest_sector(text=description, business_name=business_name)
    if suggestion is None:
        return RoutingDecision(intake_owner(province_code), None, routed=False)
    if suggestion.confidence >= settings.BVNTD["ROUTING_MIN_CONFIDENCE"]:
        from .competence import resolve_competence

        rule = resolve_competence(
            sector_code=suggestion.sector,
            province_code=province_code,
            commune_code=commune_code,
            on=local_date(now),
        )
        return RoutingDecision(rule.lead_agency, suggestion, routed=True)
    return RoutingDecision(coordinator_unit(province_code), suggestion, routed=False)


def record_suggestion(*, complaint, decision: RoutingDecision, now: dt.datetime) -> None:
    suggestion = decision.suggestion
    if suggestion is None:
        return
    SectorSuggestion.objects.create(
        complaint=complaint,
        model_version=suggestion.model_version,
        sector_id=suggestion.sector,
        confidence=suggestion.confidence,
        alternatives=suggestion.alternatives,
        top_terms=suggestion.top_terms,
        flags=suggestion.flags,
        routed=decision.routed,
        created_at=now,
    )
