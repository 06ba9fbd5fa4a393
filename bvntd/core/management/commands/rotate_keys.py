"""Re-encrypt every EncryptedTextField value with the newest key of FIELD_ENCRYPTION_KEYS.

Rotation (Law 91/2025/QH15: keep personal data protected when a key ages or leaks): put the new key first
in FIELD_ENCRYPTION_KEYS, keep the old ones, deploy, run this command, then remove the old keys.

Models are discovered through the app registry, so fields added later are covered without changing this
file. Tokens are read and written raw (never decrypted into Python objects); each write is a
compare-and-swap on the old token, so a value a user changed meanwhile is left alone (it was written with
the newest key anyway). Tokens the newest key already opens are skipped: a second run changes nothing.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import ExpressionWrapper, F, Q, Value

from bvntd.core import crypto
from bvntd.core.fields import EncryptedTextField

BATCH_SIZE = 500


@dataclass
class Tally:
    rotated: int = 0
    current: int = 0
    changed_meanwhile: int = 0


def encrypted_models() -> Iterator[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Each concrete model with the encrypted fields stored in its own table (a multi-table child leaves
    its parent's fields to the parent; a proxy shares its table with its concrete model)."""
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            yield model, fields


def _raw(field: EncryptedTextField) -> ExpressionWrapper:
    # A plain TextField output skips EncryptedTextField.from_db_value and its lookup guard: the raw token.
    return ExpressionWrapper(F(field.attname), output_field=models.TextField())


def rotate_model(
    model: type[models.Model],
    fields: list[EncryptedTextField],
    *,
    using: str = DEFAULT_DB_ALIAS,
    batch_size: int = BATCH_SIZE,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Tally:
    aliases = {f"_raw_{field.attname}": field for field in fields}
    base = model._base_manager.using(using).annotate(
        **{alias: _raw(field) for alias, field in aliases.items()}
    )
    has_value = Q()
    for alias in aliases:
        has_value |= ~Q(**{alias: ""}) & Q(**{f"{alias}__isnull": False})
    todo = base.filter(has_value)
    total = todo.count()
    tally, done, last_pk = Tally(), 0, None
    if total == 0 and progress is not None:
        progress(0, 0)
    while True:
        batch = todo.order_by("pk")
        if last_pk is not None:
            batch = batch.filter(pk__gt=last_pk)
        rows = list(batch.values_list("pk", *aliases)[:batch_size])
        if not rows:
            break
        with transaction.atomic(using=using):
            for pk, *tokens in rows:
                _rotate_row(base, pk, dict(zip(aliases, tokens, strict=True)), aliases, tally, dry_run)
        last_pk = rows[-1][0]
        done += len(rows)
        if progress is not None:
            progress(done, total)
    return tally


def _rotate_row(base, pk, tokens: dict[str, str | None], aliases, tally: Tally, dry_run: bool) -> None:
    old = {alias: token for alias, token in tokens.items() if token and not crypto.is_current(token)}
    tally.current += sum(1 for token in tokens.values() if token) - len(old)
    if not old:
        return
    if dry_run:
        tally.rotated += len(old)
        return
    new = {
        aliases[alias].attname: Value(crypto.rotate(token), output_field=models.TextField())
        for alias, token in old.items()
    }
    if base.filter(pk=pk, **old).update(**new) == 1:
        tally.rotated += len(old)
    else:
        tally.changed_meanwhile += 1


class Command(BaseCommand):
    help = "Re-encrypt all encrypted personal data with the newest key in FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the values to rotate; write nothing."
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, dry_run: bool, batch_size: int, database: str, **options):
        totals = Tally()
        found = False
        for model, fields in encrypted_models():
            found = True
            name = model.__name__

            def progress(done: int, total: int, name: str = name) -> None:
                self.stdout.write(f"{name}: {done}/{total}")

            tally = rotate_model(
                model, fields, using=database, batch_size=batch_size, dry_run=dry_run, progress=progress
            )
            totals.rotated += tally.rotated
            totals.current += tally.current
            totals.changed_meanwhile += tally.changed_meanwhile
        if not found:
            self.stdout.write("No model has an encrypted field.")
        verb = "Would rotate" if dry_run else "Rotated"
        summary = f"{verb} {totals.rotated} values; {totals.current} already use the newest key."
        if totals.changed_meanwhile:
            summary += f" {totals.changed_meanwhile} rows changed during the run and were left as written."
        self.stdout.write(self.style.SUCCESS(summary))
