import pytest
from django.core.management import CommandError, call_command

from bvntd.agencies.models import ApiToken
from bvntd.core.api_auth import hash_token


@pytest.mark.django_db
def test_it_prints_a_token_and_stores_only_its_hash(personas, capsys):
    call_command("issue_api_token", "canbo.sct", name="Một cửa")
    token = capsys.readouterr().out.strip()
    record = ApiToken.objects.get()
    assert record.token_hash == hash_token(token) and token not in record.token_hash
    assert record.user == personas["canbo.sct"]


@pytest.mark.django_db
def test_it_refuses_a_user_without_an_agency(django_user_model):
    django_user_model.objects.create(username="khach")
    with pytest.raises(CommandError):
        call_command("issue_api_token", "khach", name="x")
