"""Model fields for personal data (Law 91/2025/QH15; ARCHITECTURE rule 8)."""

from typing import Any

from django.core import checks
from django.db import models
from django.db.models.lookups import Exact

from bvntd.core import crypto


class EncryptedExact(Exact):
    """`field=""` (and `field=None`, which Django turns into `isnull`) is the only comparison that means
    something on ciphertext: Fernet tokens are randomised, so `field="An"` would silently match nothing."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise TypeError(_lookup_message(self.lhs.output_field, "exact"))
        return super().get_prep_lookup()


def _lookup_message(field: models.Field, lookup_name: str) -> str:
    return (
        f"{_label(field)} is encrypted: the database holds only ciphertext, so the lookup "
        f"'{lookup_name}' cannot work. Only isnull and exact on '' are allowed; search through a "
        "blind index column (bvntd.core.crypto.blind_index) instead."
    )


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token (bvntd.core.crypto), plaintext in Python.

    - "" and None are stored as they are, so a blank optional field stays blank and `isnull`/`exact=""`
      filters work; every other value is encrypted with the newest key on save.
    - Lookups other than `isnull` and `exact` on "" raise TypeError; so do transforms. Ordering by the field
      orders by ciphertext, which means nothing.
    - `unique`, `db_index` and `primary_key` are refused by a system check: ciphertext is never equal twice.
    - Serialisation (dumpdata, `value_to_string`) gives plaintext, like every other read in Python.
    - `QuerySet.update(field=Value(token, output_field=TextField()))` writes a raw token, bypassing
      encryption; only `rotate_keys` should need it.
    """

    description = "Text encrypted at rest (Fernet)"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        try:
            return crypto.decrypt(value)
        except crypto.DecryptionError as error:
            raise crypto.DecryptionError(f"{_label(self)}: {error}") from None

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return EncryptedExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise TypeError(_lookup_message(self, lookup_name))

    def get_transform(self, lookup_name: str) -> Any:
        raise TypeError(_lookup_message(self, lookup_name))

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        options = {"unique": self._unique, "db_index": self.db_index, "primary_key": self.primary_key}
        for option, value in options.items():
            if value:
                errors.append(
                    checks.Error(
                        f"EncryptedTextField cannot have {option}=True: its ciphertext is never equal twice.",
                        hint="Index a blind_index() column next to it instead.",
                        obj=self,
                        id="core.E101",
                    )
                )
        return errors


def _label(field: models.Field) -> str:
    model = getattr(field, "model", None)
    return f"{model._meta.label}.{field.name}" if model is not None else repr(field)
