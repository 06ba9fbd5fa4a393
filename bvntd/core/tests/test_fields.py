from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, models
from django.db.models import ExpressionWrapper, F
from django.db.models.lookups import IsNull
from django.test.utils import isolate_apps
from hypothesis import given
from hypothesis import strategies as st

from bvntd.core import crypto
from bvntd.core.fields import EncryptedTextField
from bvntd.core.management.commands import rotate_keys

KEY_A = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="
KEY_B = "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI="


# The field's methods, without a table.


def test_it_encrypts_on_the_way_in_and_decrypts_on_the_way_out():
    field = EncryptedTextField()
    token = field.get_prep_value("Nguyễn Văn An")
    assert token != "Nguyễn Văn An"
    assert crypto.decrypt(token) == "Nguyễn Văn An"
    assert field.from_db_value(token, None, connection) == "Nguyễn Văn An"
    assert field.get_db_prep_save("An", connection) != "An"


@pytest.mark.parametrize("empty", ["", None])
def test_it_leaves_empty_values_alone(empty):
    field = EncryptedTextField(blank=True, null=True)
    assert field.get_prep_value(empty) == empty
    assert field.get_db_prep_save(empty, connection) == empty
    assert field.from_db_value(empty, None, connection) == empty


def test_it_stores_non_text_as_text():
    field = EncryptedTextField()
    assert crypto.decrypt(field.get_prep_value(12345)) == "12345"
    assert field.to_python(12345) == "12345"
    assert field.to_python("An") == "An"


def test_it_names_the_field_when_a_token_cannot_be_read():
    field = EncryptedTextField()
    with pytest.raises(crypto.DecryptionError):
        field.from_db_value("gAAAAAbroken", None, connection)


@given(st.text())
def test_the_field_round_trips_any_text(value):
    field = EncryptedTextField()
    assert field.from_db_value(field.get_prep_value(value), None, connection) == value


def test_it_deconstructs_for_migrations():
    field = EncryptedTextField(blank=True, help_text="Địa chỉ")
    _name, path, args, kwargs = field.deconstruct()
    assert path == "bvntd.core.fields.EncryptedTextField"
    assert args == []
    assert kwargs == {"blank": True, "help_text": "Địa chỉ"}
    assert EncryptedTextField(*args, **kwargs).deconstruct()[1:] == (path, args, kwargs)


@pytest.mark.parametrize("lookup", ["icontains", "contains", "startswith", "in", "gt", "iexact", "regex"])
def test_it_refuses_lookups_on_ciphertext(lookup):
    with pytest.raises(TypeError, match="encrypted"):
        EncryptedTextField().get_lookup(lookup)


def test_it_refuses_transforms():
    with pytest.raises(TypeError, match="encrypted"):
        EncryptedTextField().get_transform("lower")


def test_it_allows_isnull_and_exact_on_empty():
    field = EncryptedTextField()
    assert field.get_lookup("isnull") is IsNull
    assert field.get_lookup("exact") is not None


@isolate_apps("bvntd.core")
def test_it_refuses_unique_and_indexes():
    class Unsearchable(models.Model):
        a = EncryptedTextField(unique=True)
        b = EncryptedTextField(db_index=True)
        c = EncryptedTextField()

        class Meta:
            app_label = "core"

        def __str__(self):
            return "unsearchable"

    def ids(name):
        return [error.id for error in Unsearchable._meta.get_field(name).check()]

    assert ids("a") == ["core.E101"]
    assert ids("b") == ["core.E101"]
    assert ids("c") == []


# In a real table: a model in an isolated registry, so no migration or other test ever sees it.


@pytest.fixture
def probe(transactional_db):
    with isolate_apps("bvntd.core"):

        class EncryptedProbe(models.Model):
            name = EncryptedTextField()
            note = EncryptedTextField(blank=True, null=True)

            class Meta:
                app_label = "core"

            def __str__(self):
                return self.name

    with connection.schema_editor() as editor:
        editor.create_model(EncryptedProbe)
    yield EncryptedProbe
    with connection.schema_editor() as editor:
        editor.delete_model(EncryptedProbe)


def raw(model, name):
    wrapped = ExpressionWrapper(F(name), output_field=models.TextField())
    return list(model.objects.order_by("pk").annotate(raw=wrapped).values_list("raw", flat=True))


def test_it_stores_ciphertext_and_reads_plaintext(probe):
    probe.objects.create(name="Nguyễn Văn An", note="")
    probe.objects.create(name="Trần Thị Bình", note=None)
    probe.objects.bulk_create([probe(name="Lê Văn Cường", note="Số 5")])

    assert all(token.startswith("gAAAA") for token in raw(probe, "name"))
    notes = raw(probe, "note")
    assert notes[:2] == ["", None]
    assert notes[2].startswith("gAAAA")
    assert [p.name for p in probe.objects.order_by("pk")] == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
    ]
    assert list(probe.objects.order_by("pk").values_list("note", flat=True)) == ["", None, "Số 5"]
    assert probe.objects.filter(note="").count() == 1
    assert probe.objects.filter(note__isnull=True).count() == 1
    assert probe.objects.exclude(note__isnull=True).exclude(note="").count() == 1


def test_it_refuses_to_filter_on_a_value(probe):
    with pytest.raises(TypeError, match=r"EncryptedProbe\.name is encrypted"):
        probe.objects.filter(name="Nguyễn Văn An")
    with pytest.raises(TypeError, match="encrypted"):
        probe.objects.filter(name__icontains="An")


def test_rotate_keys_re_encrypts_with_the_newest_key(probe, settings, monkeypatch):
    fields = [probe._meta.get_field("name"), probe._meta.get_field("note")]
    monkeypatch.setattr(rotate_keys, "encrypted_models", lambda: iter([(probe, fields)]))
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    probe.objects.create(name="Nguyễn Văn An", note="")
    probe.objects.create(name="Trần Thị Bình", note=None)
    probe.objects.create(name="Lê Văn Cường", note="Số 5")
    before = raw(probe, "name") + raw(probe, "note")

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    out = StringIO()
    call_command("rotate_keys", "--dry-run", "--batch-size=2", stdout=out)
    assert "Would rotate 4 values; 0 already use the newest key." in out.getvalue()
    assert raw(probe, "name") + raw(probe, "note") == before

    out = StringIO()
    call_command("rotate_keys", "--batch-size=2", stdout=out)
    assert out.getvalue().splitlines() == [
        "EncryptedProbe: 2/3",
        "EncryptedProbe: 3/3",
        "Rotated 4 values; 0 already use the newest key.",
    ]

    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    rows = list(probe.objects.order_by("pk").values_list("name", "note"))
    assert rows == [("Nguyễn Văn An", ""), ("Trần Thị Bình", None), ("Lê Văn Cường", "Số 5")]

    # Idempotent: a second run finds nothing to do.
    after = raw(probe, "name") + raw(probe, "note")
    out = StringIO()
    call_command("rotate_keys", stdout=out)
    assert "Rotated 0 values; 4 already use the newest key." in out.getvalue()
    assert raw(probe, "name") + raw(probe, "note") == after


def test_rotate_keys_leaves_a_value_changed_meanwhile(probe, settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    row = probe.objects.create(name="Nguyễn Văn An")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    tokens = {"_raw_name": raw(probe, "name")[0], "_raw_note": None}
    probe.objects.filter(pk=row.pk).update(name="Nguyễn Văn Anh")  # a user edits after the read
    tally = rotate_keys.Tally()
    base = probe._base_manager.annotate(
        _raw_name=rotate_keys._raw(probe._meta.get_field("name")),
        _raw_note=rotate_keys._raw(probe._meta.get_field("note")),
    )
    aliases = {"_raw_name": probe._meta.get_field("name"), "_raw_note": probe._meta.get_field("note")}
    rotate_keys._rotate_row(base, row.pk, tokens, aliases, tally, dry_run=False)
    assert tally.changed_meanwhile == 1
    assert tally.rotated == 0
    row.refresh_from_db()
    assert row.name == "Nguyễn Văn Anh"


def test_rotate_keys_finds_only_encrypted_fields():
    for model, fields in rotate_keys.encrypted_models():
        assert not model._meta.proxy
        assert fields
        assert all(isinstance(field, EncryptedTextField) for field in fields)
