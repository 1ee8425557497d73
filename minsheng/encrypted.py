"""Model fields whose values are SM4-encrypted at rest (商用密码): personal names and phones.

`EncryptedCharField` and `EncryptedTextField` behave as CharField / TextField in Python, forms, the admin
and the API (max_length counts the text, not the ciphertext), and store `minsheng.crypto.encrypt_text(value)`
("sm4:<key id>:<base64>") in a `text` column; loading decrypts (`from_db_value`). They always encrypt,
whatever MINSHENG_NATIONAL_CRYPTO says: one code path, and a name or a phone is never in clear in the
database, its dumps or its backups. The empty string stays empty, so "not given" is still `field=""`.

What encryption costs: the database cannot look inside these columns. Filtering, searching (admin
search_fields, API search), ordering and grouping on them do not work; lookups other than `isnull` and
`exact` against "" raise FieldError instead of quietly matching nothing. Sort and search in Python, on
other fields, or keep a keyed hash beside the value if a lookup is ever needed (as phones do).

A stored value that is not a token (a row written before the field was encrypted and not yet migrated) is
read as it is; `manage.py rotate_keys` encrypts it. A token that does not decrypt (its key id no longer in
MINSHENG_FIELD_KEYS, or altered) raises `minsheng.crypto.DecryptionError`: failing loudly beats showing,
and then saving back, a wrong value.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldError
from django.db import models, transaction
from django.db.models.lookups import Exact, IsNull

from minsheng.crypto import TOKEN_PREFIX, decrypt_text, encrypt_text, is_token, keyring


class BlankOnlyExact(Exact):
    """`field=""` on an encrypted field: the only equality the database can answer (empty is stored as is)."""

    def get_prep_lookup(self) -> Any:
        if self.rhs != "":
            raise FieldError(
                f"加密字段“{self.lhs.output_field.name}”不能按内容查询 "
                f"(encrypted field {self.lhs.output_field.name!r} can only be compared with '')"
            )
        return super().get_prep_lookup()


class EncryptedFieldMixin:
    """Encrypt on the way to the database, decrypt on the way back; a `text` column either way."""

    def get_internal_type(self) -> str:
        # The column is text whatever max_length says: the token is longer than the text.
        return "TextField"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or not is_token(value):
            return value
        return decrypt_text(value)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        prepared = super().get_db_prep_save(value, connection)  # type: ignore[misc]
        if prepared is None or prepared == "" or hasattr(prepared, "as_sql"):
            return prepared
        return encrypt_text(str(prepared))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return BlankOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None

    def get_transform(self, lookup_name: str) -> Any:
        return None


class EncryptedCharField(EncryptedFieldMixin, models.CharField):
    """A short personal text (a name, a phone) kept SM4-encrypted; a text input with max_length in forms."""


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    """A longer personal text kept SM4-encrypted."""


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    """The encrypted concrete fields of `model`."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedFieldMixin) and field.model is model
    ]


# --- Rewriting stored values: the data migrations that encrypt a column, and `manage.py rotate_keys` ---


def _rewrite_rows(
    connection: Any,
    model: type[models.Model],
    field_names: list[str],
    *,
    stale_sql: str,
    stale_params: list[Any],
    rewrite: Callable[[str], str],
    batch_size: int,
) -> int:
    """Rows of `model`'s table where a listed column matches `stale_sql` (a condition on "{col}"), each such
    value replaced by `rewrite(value)`, in batches of `batch_size` rows, one transaction per batch.

    Raw SQL on purpose: no model save, so no change-history row, no auto_now timestamp moved, no signal; and
    it works the same on migration-state models (historical ones included) and on the live models.
    Returns the number of rows rewritten.
    """
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    columns = [quote(model._meta.get_field(name).column) for name in field_names]  # type: ignore[union-attr]
    stale = " OR ".join("(" + stale_sql.format(col=column) + ")" for column in columns)
    update = f"UPDATE {table} SET {', '.join(f'{column} = %s' for column in columns)} WHERE {pk} = %s"
    rewritten, last = 0, None
    after_params: list[Any]
    while True:
        after, after_params = ("", []) if last is None else (f"AND {pk} > %s", [last])  # keyset pages
        select = (
            f"SELECT {pk}, {', '.join(columns)} FROM {table} WHERE ({stale}) {after} "
            f"ORDER BY {pk} LIMIT %s FOR UPDATE"
        )
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(select, [*stale_params * len(columns), *after_params, batch_size])
            rows = cursor.fetchall()
            changes = [
                [*(value if value in (None, "") else rewrite(value) for value in values), key]
                for key, *values in rows
            ]
            if changes:
                cursor.executemany(update, changes)
        rewritten += len(rows)
        if len(rows) < batch_size:
            return rewritten
        last = rows[-1][0]


def encrypt_columns(
    connection: Any,
    model: type[models.Model],
    field_names: list[str],
    *,
    key_id: str | None = None,
    batch_size: int = 500,
) -> int:
    """Every non-empty value of the columns not yet encrypted under `key_id` (default: the current key),
    encrypted under it: plaintext rows are encrypted, tokens under older keys re-encrypted. Idempotent.
    Returns the number of rows rewritten."""
    key_id = key_id or keyring().current_id
    header = f"{TOKEN_PREFIX}:{key_id}:"

    def rewrite(value: str) -> str:
        if value.startswith(header):  # another column of the row was stale, not this one
            return value
        return encrypt_text(decrypt_text(value) if is_token(value) else value, key_id=key_id)

    return _rewrite_rows(
        connection,
        model,
        field_names,
        stale_sql="{col} <> '' AND left({col}, %s) <> %s",
        stale_params=[len(header), header],
        rewrite=rewrite,
        batch_size=batch_size,
    )


def count_stale(connection: Any, model: type[models.Model], field_names: list[str], *, key_id: str) -> int:
    """How many rows of `model` hold a non-empty value of the columns not encrypted under `key_id`."""
    quote = connection.ops.quote_name
    header = f"{TOKEN_PREFIX}:{key_id}:"
    columns = [quote(model._meta.get_field(name).column) for name in field_names]  # type: ignore[union-attr]
    stale = " OR ".join(f"({column} <> '' AND left({column}, %s) <> %s)" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {quote(model._meta.db_table)} WHERE {stale}",
            [len(header), header] * len(columns),
        )
        return cursor.fetchone()[0]


def decrypt_columns(
    connection: Any, model: type[models.Model], field_names: list[str], *, batch_size: int = 500
) -> int:
    """Every encrypted value of the columns written back in clear (to migrate back to plain columns)."""
    prefix = f"{TOKEN_PREFIX}:"
    return _rewrite_rows(
        connection,
        model,
        field_names,
        stale_sql="left({col}, %s) = %s",
        stale_params=[len(prefix), prefix],
        rewrite=lambda value: decrypt_text(value) if is_token(value) else value,
        batch_size=batch_size,
    )


def encrypt_existing(app_label: str, fields: dict[str, list[str]]) -> tuple[Callable, Callable]:
    """The (forward, backward) functions of a data migration's RunPython that encrypt `fields` (model name
    → field names) of `app_label`, and decrypt them again when the migration is unapplied."""

    def forward(apps: Any, schema_editor: Any) -> None:
        for model_name, names in fields.items():
            encrypt_columns(schema_editor.connection, apps.get_model(app_label, model_name), names)

    def backward(apps: Any, schema_editor: Any) -> None:
        for model_name, names in fields.items():
            decrypt_columns(schema_editor.connection, apps.get_model(app_label, model_name), names)

    return forward, backward
