from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

# Rows that bvntd.core.cache keeps per process: a change in this process clears the caches at once.
REFERENCE_MODELS = frozenset(
    {
        "core.calendaroverride",
        "geo.unitversion",
        "geo.province",
        "agencies.agency",
        "routing.routermodel",
        "routing.competencerule",
    }
)


def _clear_on_reference_change(sender, **kwargs) -> None:
    if sender._meta.label_lower in REFERENCE_MODELS:
        from .cache import clear_reference_caches

        clear_reference_caches()


class CoreConfig(AppConfig):
    name = "bvntd.core"
    label = "core"

    def ready(self) -> None:
        post_save.connect(_clear_on_reference_change, dispatch_uid="bvntd-reference-cache-save")
        post_delete.connect(_clear_on_reference_change, dispatch_uid="bvntd-reference-cache-delete")
