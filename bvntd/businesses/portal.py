"""Who speaks for a business: invitations by an agency, the people who accept them, API tokens; and what a
business may see (only the complaints sent to it).

A complaint of another business does not exist for a business user (404), like a case outside an officer's
scope.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from bvntd.agencies.models import Role
from bvntd.complaints import notifications
from bvntd.complaints.access import membership_of
from bvntd.complaints.models import Complaint
from bvntd.core.api_auth import hash_token
from bvntd.core.errors import DomainError, FieldError, FieldErrors, NotFound, PermissionDenied

from .models import (
    Business,
    BusinessApiToken,
    BusinessEvent,
    BusinessEventKind,
    BusinessInvitation,
    BusinessMember,
)

# Agency roles that may invite a business and issue it an API token.
INVITERS = frozenset({Role.OFFICER, Role.HEAD, Role.COORDINATOR, Role.NATIONAL})


def business_of(user) -> Business | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.business_membership.business
    except BusinessMember.DoesNotExist:
        return None


def business_complaints(business: Business) -> QuerySet[Complaint]:
    """The complaints sent to this business (its business stage), whatever has happened to them since."""
    return Complaint.objects.filter(referral__business=business)


def get_complaint_for_business(business: Business, tracking_code: str) -> Complaint:
    complaint = (
        business_complaints(business)
        .select_related("referral", "province", "owner_agency")
        .filter(tracking_code=tracking_code.strip().upper())
        .first()
    )
    if complaint is None:
        raise NotFound(_("Không tìm thấy hồ sơ."))
    return complaint


def require_inviter(actor) -> None:
    membership = membership_of(actor)
    if membership is None or membership.role not in INVITERS:
        raise PermissionDenied(_("Bạn không có quyền mời doanh nghiệp hoặc cấp khóa API."))


def _audit(business, kind, actor, now, **data) -> None:
    BusinessEvent.objects.create(
        business=business,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        created_at=now,
        data=data,
    )


# --- invitations --------------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *, business: Business, email: str, actor, now: dt.datetime
) -> tuple[BusinessInvitation, str]:
    """Invite a representative. Returns the invitation and its one-time link token (shown once, mailed)."""
    require_inviter(actor)
    if not business.is_active:
        raise DomainError(_("Hồ sơ doanh nghiệp này đã được gộp vào hồ sơ khác."))
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise FieldErrors([FieldError("email", _("Địa chỉ thư điện tử không hợp lệ."))]) from None
    if get_user_model().objects.filter(username=email).exists():
        raise FieldErrors([FieldError("email", _("Địa chỉ này đã có tài khoản trên hệ thống."))])
    token = secrets.token_urlsafe(32)
    invitation = BusinessInvitation.objects.create(
        business=business,
        email=email,
        token_hash=hash_token(token),
        invited_by=actor,
        agency=actor.membership.agency,
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.BVNTD["BUSINESS_INVITATION_DAYS"]),
    )
    _audit(business, BusinessEventKind.INVITED, actor, now, email=email, invitation=invitation.pk)
    notifications.business_invitation(invitation, invitation_url(token))
    return invitation, token


def invitation_url(token: str) -> str:
    return f"{settings.SITE_URL}/doanh-nghiep/loi-moi/{token}/"


def invitation_for_token(token: str, now: dt.datetime) -> BusinessInvitation:
    invitation = (
        BusinessInvitation.objects.select_related("business").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None:
        raise NotFound(_("Lời mời không tồn tại."))
    if invitation.accepted_at is not None:
        raise DomainError(_("Lời mời này đã được sử dụng. Vui lòng đăng nhập."))
    if invitation.expires_at < now:
        raise DomainError(_("Lời mời đã hết hạn. Vui lòng đề nghị cơ quan gửi lời mời mới."))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, now: dt.datetime, full_name: str, password: str, password_again: str):
    """Open the invitation: create the representative's account, once (the link then stops working)."""
    invitation = invitation_for_token(token, now)
    errors = []
    name = " ".join((full_name or "").split())
    if not name:
        errors.append(FieldError("full_name", _("Vui lòng nhập họ và tên.")))
    if password != password_again:
        errors.append(FieldError("password_again", _("Hai mật khẩu không khớp.")))
    User = get_user_model()
    user = User(username=invitation.email, email=invitation.email, first_name=name[:150])
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors.append(FieldError("password", " ".join(error.messages)))
    if errors:
        raise FieldErrors(errors)
    # One use only: the first request to flip accepted_at wins.
    if (
        BusinessInvitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(accepted_at=now)
        != 1
    ):
        raise DomainError(_("Lời mời này đã được sử dụng. Vui lòng đăng nhập."))
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise FieldErrors([FieldError("email", _("Địa chỉ này đã có tài khoản trên hệ thống."))]) from None
    BusinessMember.objects.create(
        user=user, business=invitation.business, invitation=invitation, created_at=now
    )
    _audit(invitation.business, BusinessEventKind.USER_JOINED, user, now, email=invitation.email)
    return user


# --- API tokens ---------------------------------------------------------------------------------------


@transaction.atomic
def api_token_issue(*, business: Business, name: str, actor, now: dt.datetime) -> str:
    """A token for the business's own systems, shown once."""
    require_inviter(actor)
    name = " ".join((name or "").split())
    if not name:
        raise FieldErrors([FieldError("name", _("Vui lòng đặt tên cho khóa (ví dụ: hệ thống CSKH)."))])
    token = "bvdn_" + secrets.token_urlsafe(32)
    record = BusinessApiToken.objects.create(
        business=business,
        name=name[:100],
        token_hash=hash_token(token),
        prefix=token[5:13],
        created_by=actor,
        created_at=now,
    )
    _audit(business, BusinessEventKind.TOKEN_ISSUED, actor, now, token=record.pk, name=record.name)
    return token


@transaction.atomic
def api_token_revoke(*, token: BusinessApiToken, actor, now: dt.datetime) -> None:
    require_inviter(actor)
    if BusinessApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now) != 1:
        raise DomainError(_("Khóa đã bị thu hồi trước đó."))
    _audit(token.business, BusinessEventKind.TOKEN_REVOKED, actor, now, token=token.pk)
