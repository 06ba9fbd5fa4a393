"""Messages to consumers and agencies, sent by the task worker after the transaction commits
(ARCHITECTURE rule 6). Agency mail names the case, never the consumer's personal data."""

from django.conf import settings

from bvntd.core.outbox import enqueue_on_commit

from .tasks import send_email


def _send_after_commit(to: list[str], subject: str, body: str) -> None:
    recipients = [address for address in to if address]
    if recipients:
        enqueue_on_commit(send_email, to=recipients, subject=subject, body=body)


def _case_url(complaint) -> str:
    return f"{settings.SITE_URL}/can-bo/ho-so/{complaint.tracking_code}/"


def _tracking_url() -> str:
    return f"{settings.SITE_URL}/tra-cuu/"


def complaint_received(complaint) -> None:
    _send_after_commit(
        [complaint.email],
        f"[BVNTD] Đã tiếp nhận khiếu nại {complaint.tracking_code}",
        f"Khiếu nại của bạn đã được tiếp nhận với mã {complaint.tracking_code}.\n"
        f"Cơ quan xử lý: {complaint.owner_agency.name}.\n"
        f"Tra cứu tiến độ tại {_tracking_url()} bằng mã hồ sơ và số điện thoại hoặc thư điện tử đã khai.",
    )
    _send_after_commit(
        [complaint.owner_agency.email],
        f"[BVNTD] Hồ sơ mới {complaint.tracking_code}",
        f"Cơ quan nhận được hồ sơ mới: {_case_url(complaint)}",
    )


def consumer_update(complaint, text: str) -> None:
    _send_after_commit(
        [complaint.email],
        f"[BVNTD] Cập nhật hồ sơ {complaint.tracking_code}",
        f"{text}\n\nXem chi tiết tại {_tracking_url()} (mã hồ sơ {complaint.tracking_code}).",
    )


def agency_received(complaint, agency) -> None:
    _send_after_commit(
        [agency.email],
        f"[BVNTD] Hồ sơ {complaint.tracking_code} được chuyển đến cơ quan",
        f"Cơ quan được giao hồ sơ {complaint.tracking_code}: {_case_url(complaint)}",
    )


def agency_update(complaint, text: str) -> None:
    _send_after_commit(
        [complaint.owner_agency.email],
        f"[BVNTD] Cập nhật hồ sơ {complaint.tracking_code}",
        f"{text}\n{_case_url(complaint)}",
    )


def business_emails(business) -> list[str]:
    members = business.members.filter(user__is_active=True).select_related("user")
    return [m.user.email for m in members if m.user.email]


def _business_case_url(complaint) -> str:
    return f"{settings.SITE_URL}/doanh-nghiep/ho-so/{complaint.tracking_code}/"


def business_received(complaint, business) -> None:
    """Law 19/2023 Art.57(2): the business is asked to answer; the mail names the case, not the consumer."""
    _send_after_commit(
        business_emails(business),
        f"[BVNTD] Khiếu nại mới {complaint.tracking_code} cần doanh nghiệp trả lời",
        f"Doanh nghiệp nhận được khiếu nại {complaint.tracking_code}; vui lòng trả lời trước "
        f"{complaint.due_at:%d/%m/%Y} tại {_business_case_url(complaint)}",
    )
    consumer_update(
        complaint,
        f"Khiếu nại của bạn đã được chuyển đến {business.name} để doanh nghiệp trả lời trước "
        f"(Luật Bảo vệ quyền lợi người tiêu dùng 2023, Điều 57).",
    )


def business_update(complaint, business, text: str) -> None:
    _send_after_commit(
        business_emails(business),
        f"[BVNTD] Cập nhật khiếu nại {complaint.tracking_code}",
        f"{text}\n{_business_case_url(complaint)}",
    )


def deadline_recipients(complaint, *, overdue: bool) -> list[str]:
    """The escalation ladder: due soon → the agency and the officer in charge; overdue → also the agency's
    heads and the province's coordinating unit (whose board lists the case)."""
    from bvntd.agencies.models import Agency, AgencyKind, Role

    if complaint.due_kind == "business" and complaint.business_id:
        # The business's own clock: remind the business, not the agency that waits.
        return business_emails(complaint.business)
    recipients = [complaint.owner_agency.email]
    if complaint.assigned_officer_id and complaint.assigned_officer.email:
        recipients.append(complaint.assigned_officer.email)
    if overdue:
        heads = complaint.owner_agency.members.filter(role=Role.HEAD, user__is_active=True)
        recipients += [m.user.email for m in heads.select_related("user") if m.user.email]
        coordinator = Agency.objects.filter(
            kind=AgencyKind.SCT_CP, province_id=complaint.province_id, is_active=True
        ).first()
        if coordinator is not None:
            recipients.append(coordinator.email)
    return list(dict.fromkeys(address for address in recipients if address))


def deadline_warning(complaint, *, overdue: bool) -> None:
    when = "đã quá hạn" if overdue else "sắp đến hạn"
    _send_after_commit(
        deadline_recipients(complaint, overdue=overdue),
        f"[BVNTD] Hồ sơ {complaint.tracking_code} {when}",
        f"Hồ sơ {complaint.tracking_code} {when} ({complaint.get_due_kind_display()}).\n"
        f"{_case_url(complaint)}",
    )


def business_invitation(invitation, url: str) -> None:
    """The one-time link goes only to the invited address."""
    _send_after_commit(
        [invitation.email],
        f"[BVNTD] Lời mời trả lời khiếu nại cho {invitation.business.name}",
        f"{invitation.agency.name} mời bạn trả lời khiếu nại của người tiêu dùng thay mặt "
        f"{invitation.business.name} trên hệ thống BVNTD.\n"
        f"Mở đường dẫn sau (dùng một lần, hết hạn {invitation.expires_at:%d/%m/%Y}) để tạo tài khoản:\n{url}",
    )
