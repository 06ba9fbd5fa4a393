import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st

from bvntd.core import crypto
from bvntd.core.crypto import (
    DecryptionError,
    blind_index,
    decrypt,
    encrypt,
    is_current,
    mask_email,
    mask_name,
    mask_phone,
    mask_text,
    reset_keys,
    rotate,
)
from bvntd.core.text import clean_line

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def test_it_encrypts_and_decrypts():
    token = encrypt("Nguyễn Văn An")
    assert token != "Nguyễn Văn An"
    assert "Nguy" not in token
    assert decrypt(token) == "Nguyễn Văn An"


def test_it_gives_a_different_token_each_time():
    assert encrypt("0912345678") != encrypt("0912345678")


def test_it_rotates_to_the_newest_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    old = encrypt("12 Nguyễn Trãi, Hà Nội")

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    assert decrypt(old) == "12 Nguyễn Trãi, Hà Nội"
    assert not is_current(old)
    new = rotate(old)
    assert is_current(new)

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    assert decrypt(new) == "12 Nguyễn Trãi, Hà Nội"
    with pytest.raises(DecryptionError):
        decrypt(old)


def test_it_encrypts_with_the_newest_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    token = encrypt("An")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    assert decrypt(token) == "An"


def test_it_caches_the_keys_until_reset():
    keys = crypto._keys()
    assert crypto._keys() is keys
    reset_keys()
    assert crypto._keys() is not keys


def test_it_forgets_the_keys_when_the_setting_changes(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    token = encrypt("An")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    with pytest.raises(DecryptionError):
        decrypt(token)


def test_it_refuses_a_tampered_or_foreign_token():
    token = encrypt("An")
    with pytest.raises(DecryptionError):
        decrypt(token[:-4] + "AAAA")
    with pytest.raises(DecryptionError):
        decrypt("not a token")
    with pytest.raises(DecryptionError):
        rotate("not a token")
    assert not is_current("not a token")


@pytest.mark.parametrize("keys", [[], ["not-a-fernet-key"]])
def test_it_refuses_bad_keys_without_showing_them(settings, keys):
    settings.FIELD_ENCRYPTION_KEYS = keys
    with pytest.raises(ImproperlyConfigured) as caught:
        encrypt("An")
    assert "not-a-fernet-key" not in str(caught.value)


@given(st.text())
def test_decrypt_inverts_encrypt(value):
    assert decrypt(encrypt(value)) == value


def test_blind_index_is_stable_and_keyed(settings):
    first = blind_index("phone", "+84912345678")
    assert first == blind_index("phone", "+84912345678")
    assert len(first) == 64
    assert int(first, 16) >= 0
    assert first != blind_index("phone", "+84912345679")
    assert first != blind_index("email", "+84912345678")

    settings.BLIND_INDEX_KEY = "another-key"
    assert blind_index("phone", "+84912345678") != first


@pytest.mark.parametrize("kind", ["", "phone:extra"])
def test_blind_index_refuses_ambiguous_kinds(kind):
    # "a:b" + "c" and "a" + "b:c" would hash the same message.
    with pytest.raises(ValueError):
        blind_index(kind, "x")


def test_blind_index_needs_a_key(settings):
    settings.BLIND_INDEX_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        blind_index("phone", "+84912345678")


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Nguyễn Văn An", "Nguyễn V** A*"),
        ("  Trần   Thị Thu  Hà ", "Trần T** T** H*"),
        ("Lê Ư", "Lê Ư"),
        ("Madonna", "M******"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_it_masks_names(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("+84912345678", "+84 91****678"),
        ("+84 91 234 5678", "+84 91****678"),
        ("+16502530000", "+1 65*****000"),
        ("0912345678", "091****678"),
        ("1900123", "*****23"),
        ("113", "***"),
        ("", ""),
    ],
)
def test_it_masks_phones(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("email", "masked"),
    [
        ("an.nguyen@gmail.com", "a*******@gmail.com"),
        ("a@b.vn", "a*******@b.vn"),
        ("not-an-email", "n*******"),
        ("", ""),
    ],
)
def test_it_masks_emails(email, masked):
    assert mask_email(email) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("12 Nguyễn Trãi, Thanh Xuân, Hà Nội", "12 Ngu…"),
        ("Số 5\nngõ 10", "Số 5 …"),
        ("Hà Nội", "Hà …"),
        ("a", "…"),
        ("", ""),
    ],
)
def test_it_masks_free_text(text, masked):
    assert mask_text(text) == masked


@given(st.text())
def test_masks_never_show_the_whole_value(value):
    for mask in (mask_name, mask_phone, mask_email, mask_text):
        masked = mask(value)
        assert isinstance(masked, str)
    stripped = clean_line(value)
    if len(stripped) > 1:
        assert mask_text(value) != stripped
