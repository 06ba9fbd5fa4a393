"""Token authentication for the staff API: `Authorization: Bearer <token>`; only a hash is stored."""

import hashlib
import secrets

from django.utils import timezone
from ninja.security import HttpBearer


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(*, user, name: str) -> str:
    """Create a token for `user` and return it; it is shown once and never stored in clear."""
    from bvntd.agencies.models import ApiToken

    token = "bvntd_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, token_hash=hash_token(token), prefix=token[6:14])
    return token


class StaffToken(HttpBearer):
    def authenticate(self, request, token: str):
        from bvntd.agencies.models import ApiToken

        record = (
            ApiToken.objects.select_related("user", "user__membership__agency")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if record is None:
            return None
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
        return record.user
