"""Inserting many rows and their history rows with PostgreSQL COPY.

`bulk_create` renders one INSERT with a placeholder per value and simple-history's bulk helper builds a
historical model instance per row; for the 50,000-row progress ledger that is most of the write time.
Here ids are taken from the table's sequence first (so later rows can point at them), then the rows and
their "+" history rows (with the user and the file as the change reason) stream in with COPY.
"""

from django.db import connection
from django.utils import timezone


def create_with_history(model, objs: list, *, user=None, reason: str = "", batch_size: int = 2000) -> list:
    """Insert `objs` (unsaved instances) and one history row each; sets their primary keys."""
    if not objs:
        return objs
    meta = model._meta
    fields = list(meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
        rows = ([f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields] for obj in objs)
        _copy(cursor, meta.db_table, [f.column for f in fields], rows)

        history = model.history.model
        now = timezone.now()
        extra = {
            "history_date": now,
            "history_change_reason": reason or None,
            "history_type": "+",
            "history_user_id": getattr(user, "pk", None),
        }
        history_fields = [f for f in history._meta.concrete_fields if f.attname != "history_id"]
        own = {f.attname for f in fields}

        def history_row(obj):
            return [
                f.get_db_prep_save(
                    getattr(obj, f.attname) if f.attname in own else extra.get(f.attname), connection
                )
                for f in history_fields
            ]

        _copy(cursor, history._meta.db_table, [f.column for f in history_fields], map(history_row, objs))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with cursor.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
