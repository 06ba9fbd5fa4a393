"""Domain errors: what a service raises when it refuses, with a message the user can read.

Services raise these; HTML views and the API turn them into a page or the one JSON error shape
(ARCHITECTURE rule 9). Messages are Vietnamese source strings, translated like any other, and never carry
personal data.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refusal the user should see. `message` is user-facing; `code` is a stable machine-readable name."""

    default_message = _("Không thể thực hiện yêu cầu.")
    default_code = "invalid"
    http_status = 422  # a well-formed request the rules refuse; config/api.py answers the same

    def __init__(self, message: str | None = None, *, code: str | None = None) -> None:
        self.message = message if message is not None else str(self.default_message)
        self.code = code if code is not None else self.default_code
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r})"


class PermissionDenied(DomainError):
    default_message = _("Bạn không có quyền thực hiện thao tác này.")
    default_code = "permission_denied"
    http_status = 403


class NotFound(DomainError):
    default_message = _("Không tìm thấy dữ liệu yêu cầu.")
    default_code = "not_found"
    http_status = 404


class Conflict(DomainError):
    """Someone else changed the record first (ARCHITECTURE rule 7: one wins, the other is told)."""

    default_message = _("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang và thử lại.")
    default_code = "conflict"
    http_status = 409


class Throttled(DomainError):
    """Too many attempts from one client; try again later."""

    default_message = _("Bạn đã thử quá nhiều lần. Vui lòng thử lại sau 15 phút.")
    default_code = "throttled"
    http_status = 429


@dataclass(frozen=True)
class FieldError:
    """One problem with one input; `field` None means the input as a whole."""

    field: str | None
    message: str


class FieldErrors(DomainError):
    """Every problem with a submission at once, so the user can fix them all in one go."""

    default_message = _("Dữ liệu chưa hợp lệ. Vui lòng kiểm tra lại các mục được đánh dấu.")
    default_code = "invalid_input"
    http_status = 422

    def __init__(
        self, errors: Iterable[FieldError], message: str | None = None, *, code: str | None = None
    ) -> None:
        self.errors = list(errors)
        super().__init__(message, code=code)

    @classmethod
    def single(cls, field: str | None, message: str) -> "FieldErrors":
        return cls([FieldError(field, message)])

    def for_field(self, field: str | None) -> list[str]:
        return [error.message for error in self.errors if error.field == field]

    def as_dict(self) -> dict[str, list[dict[str, str | None]]]:
        return {"errors": [asdict(error) for error in self.errors]}

    def __repr__(self) -> str:
        return f"FieldErrors({self.errors!r})"
