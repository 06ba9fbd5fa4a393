"""The complaint's states and the transitions allowed between them: the one table every service checks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    # The business stage (Law 19/2023 Art.57(2)): the business answers first, within 7 working days.
    AT_BUSINESS = "at_business", _("Chờ doanh nghiệp trả lời")
    BUSINESS_ANSWERED = "business_answered", _("Doanh nghiệp đã trả lời, chờ người tiêu dùng")
    RECEIVED = "received", _("Đã tiếp nhận")
    ACCEPTED = "accepted", _("Đã thụ lý")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    AWAITING_INFO = "awaiting_info", _("Chờ người tiêu dùng bổ sung")
    RESOLVED = "resolved", _("Đã có kết quả")
    REOPENED = "reopened", _("Mở lại (người tiêu dùng không đồng ý)")
    CLOSED = "closed", _("Đã đóng")
    REJECTED = "rejected", _("Từ chối thụ lý")
    WITHDRAWN = "withdrawn", _("Người tiêu dùng rút yêu cầu")


class Outcome(models.TextChoices):
    SETTLED = "settled", _("Hai bên thương lượng thành công")
    REFUNDED = "refunded", _("Doanh nghiệp hoàn tiền/bồi thường")
    REPAIRED = "repaired", _("Sửa chữa, đổi hàng, bảo hành")
    EXPLAINED = "explained", _("Đã giải thích, yêu cầu không có cơ sở")
    NOT_SETTLED = "not_settled", _("Không thương lượng được, hướng dẫn khởi kiện/trọng tài")
    REFERRED = "referred", _("Chuyển cơ quan xử lý vi phạm hành chính")


class RejectReason(models.TextChoices):
    OUT_OF_SCOPE = "out_of_scope", _("Không thuộc phạm vi Luật Bảo vệ quyền lợi người tiêu dùng")
    DUPLICATE = "duplicate", _("Trùng với hồ sơ khác")
    NO_REPLY = "no_reply", _("Người tiêu dùng không bổ sung thông tin")


class DueKind(models.TextChoices):
    ACCEPT = "accept", _("Hạn thụ lý")
    RESOLVE = "resolve", _("Hạn giải quyết")
    CONSUMER_REPLY = "consumer_reply", _("Hạn người tiêu dùng bổ sung")
    BUSINESS = "business", _("Hạn doanh nghiệp trả lời")
    CONSUMER_DECISION = "consumer_decision", _("Hạn người tiêu dùng phản hồi câu trả lời")


OPEN = frozenset(
    {
        Status.AT_BUSINESS,
        Status.BUSINESS_ANSWERED,
        Status.RECEIVED,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.AWAITING_INFO,
        Status.REOPENED,
    }
)
FINAL = frozenset({Status.CLOSED, Status.REJECTED, Status.WITHDRAWN})
# The clock runs in every open state; it pauses only while the consumer owes information
# (ARCHITECTURE rule 4).
CLOCK_PAUSED = frozenset({Status.AWAITING_INFO})
# The business stage: the agency owns the case (ARCHITECTURE rule 1) but waits; its clocks are the business's
# and then the consumer's, and the agency's own clock starts when the case comes to it (status RECEIVED).
BUSINESS_STAGE = frozenset({Status.AT_BUSINESS, Status.BUSINESS_ANSWERED})

ALLOWED: dict[str, frozenset[str]] = {
    # Silence, a refusal, a disputed answer or the agency taking over: the case comes to the agency.
    Status.AT_BUSINESS: frozenset(
        {Status.BUSINESS_ANSWERED, Status.RECEIVED, Status.REJECTED, Status.WITHDRAWN}
    ),
    # The consumer accepts the answer (or lets the window pass): closed; disputes it: the agency stage.
    Status.BUSINESS_ANSWERED: frozenset({Status.CLOSED, Status.RECEIVED, Status.WITHDRAWN}),
    # A business found registered after intake can still be asked first (it had not been contacted).
    Status.RECEIVED: frozenset({Status.AT_BUSINESS, Status.ACCEPTED, Status.REJECTED, Status.WITHDRAWN}),
    Status.ACCEPTED: frozenset(
        {Status.IN_PROGRESS, Status.AWAITING_INFO, Status.RESOLVED, Status.REJECTED, Status.WITHDRAWN}
    ),
    Status.IN_PROGRESS: frozenset({Status.AWAITING_INFO, Status.RESOLVED, Status.REJECTED, Status.WITHDRAWN}),
    Status.AWAITING_INFO: frozenset({Status.IN_PROGRESS, Status.REJECTED, Status.WITHDRAWN}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.REOPENED}),
    Status.REOPENED: frozenset(
        {Status.IN_PROGRESS, Status.AWAITING_INFO, Status.RESOLVED, Status.REJECTED, Status.WITHDRAWN}
    ),
    Status.CLOSED: frozenset(),
    Status.REJECTED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED[from_status]
