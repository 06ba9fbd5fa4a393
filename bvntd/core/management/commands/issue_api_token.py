"""`manage.py issue_api_token USERNAME --name "Hệ thống một cửa"`: a staff API token, printed once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from bvntd.core.api_auth import issue_token


class Command(BaseCommand):
    help = "Issue a staff API token for a user (shown once; only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="what the token is for, e.g. the calling system")

    def handle(self, *args, username: str, name: str, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        if not hasattr(user, "membership"):
            raise CommandError(f"{username!r} belongs to no agency; the API would show nothing.")
        token = issue_token(user=user, name=name)
        self.stdout.write(token)
        self.stderr.write("Keep it now: it cannot be shown again. Revoke it in the admin (API tokens).")
