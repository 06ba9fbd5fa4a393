"""The JSON API, version 1: one NinjaAPI, one error shape `{"errors": [{"field", "message"}]}`."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from bvntd.businesses.api import router as business_router
from bvntd.complaints.api import router as complaints_router
from bvntd.complaints.api import staff_router
from bvntd.core.errors import Conflict, DomainError, FieldErrors, NotFound, PermissionDenied, Throttled
from bvntd.routing.api import router as routing_router

api = NinjaAPI(
    title="BVNTD API",
    version="1",
    description="Bảo vệ người tiêu dùng: complaints, tracking and the staff workspace.",
    urls_namespace="api",
)
api.add_router("/complaints", complaints_router)
api.add_router("/staff", staff_router)
api.add_router("/routing", routing_router)
api.add_router("/business", business_router)


def _errors(request: HttpRequest, status: int, items: list[dict]):
    return api.create_response(request, {"errors": items}, status=status)


@api.exception_handler(FieldErrors)
def field_errors(request, exc: FieldErrors):
    return _errors(request, 422, exc.as_dict()["errors"])


@api.exception_handler(NotFound)
def not_found(request, exc: NotFound):
    return _errors(request, 404, [{"field": None, "message": exc.message}])


@api.exception_handler(PermissionDenied)
def forbidden(request, exc: PermissionDenied):
    return _errors(request, 403, [{"field": None, "message": exc.message}])


@api.exception_handler(Conflict)
def conflict(request, exc: Conflict):
    return _errors(request, 409, [{"field": None, "message": exc.message}])


@api.exception_handler(Throttled)
def throttled(request, exc: Throttled):
    return _errors(request, 429, [{"field": None, "message": exc.message}])


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return _errors(request, 422, [{"field": None, "message": exc.message}])


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc: NinjaValidationError):
    items = []
    for error in exc.errors:
        location = [
            str(part) for part in error.get("loc", ()) if part not in {"query", "body", "path", "filters"}
        ]
        items.append(
            {
                "field": ".".join(location) or None,
                "message": _("Giá trị không hợp lệ: %(detail)s") % {"detail": error.get("msg", "")},
            }
        )
    return _errors(request, 422, items)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return _errors(
        request, 401, [{"field": None, "message": _("Cần mã truy cập (Authorization: Bearer …) hợp lệ.")}]
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _errors(request, exc.status_code, [{"field": None, "message": str(exc)}])
