"""Many new rows of one model written fast: ``COPY … FROM STDIN`` on PostgreSQL, one
prepared INSERT run for every row (``executemany``) on SQLite.

For bulk imports (the SP4N-LAPOR! import) where ``bulk_create`` spends most of its time
compiling SQL: a value prepared per field per row through the insert compiler, and on
SQLite an INSERT split every 999 parameters (about twenty reports). ``insert(objs)`` does
for new rows of a plain model (no multi-table inheritance) what ``bulk_create`` does:

- the primary keys are taken from the table's sequence first (PostgreSQL ``nextval`` for
  the whole list in one query; SQLite ``sqlite_sequence``, the AUTOINCREMENT counter,
  moved on in one UPDATE that also takes the database's write lock), and set on the
  objects, so rows inserted afterwards can point at them;
- related objects saved before are copied into their ``*_id`` (``report=report``);
- every field's ``pre_save`` (``auto_now``/``auto_now_add``) and its database value;
- the objects are marked saved (``_state``).

As ``bulk_create``, it sends no model signal. Call it inside ``transaction.atomic()``: a
failure leaves the sequence moved on (gaps in ids, as a rolled-back INSERT leaves), nothing
else.
"""

import datetime as dt

from django.conf import settings
from django.db import connections, models, router

# Field classes whose Python value is already what the database driver takes (a str, an
# int, a bool or None): no per-value preparation, the cost bulk_create pays.
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
)
_PLAIN_TYPES = (str, int, bool)


def insert(objs, *, using=None) -> list:
    """Insert the unsaved model instances ``objs`` (all of one model); answers them, with
    their primary keys set."""
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    opts = model._meta
    if opts.parents:
        raise ValueError("fastinsert.insert does not handle multi-table inheritance")
    using = using or router.db_for_write(model)
    connection = connections[using]
    pk = opts.pk
    missing = [obj for obj in objs if obj.pk is None]
    if missing:
        if not isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
            raise ValueError("fastinsert.insert needs the primary keys of a model without an auto field")
        for obj, value in zip(missing, _take_ids(connection, opts, len(missing)), strict=True):
            setattr(obj, pk.attname, value)
    fields = [field for field in opts.concrete_fields if not field.generated]
    prepare = [_preparer(field, connection) for field in fields]
    rows = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        rows.append([fn(obj) for fn in prepare])
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(opts.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with _raw(cursor).copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    return objs


def _preparer(field, connection):
    attname = field.attname
    plain_field = isinstance(field, _PLAIN) or (field.is_relation and isinstance(field.target_field, _PLAIN))
    if plain_field and not (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)):

        def plain(obj):
            value = getattr(obj, attname)
            if value is None or type(value) in _PLAIN_TYPES:
                return value
            return field.get_db_prep_save(value, connection)

        return plain

    plain_save = not (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
    if plain_save and type(field) is models.DateTimeField and settings.USE_TZ:
        return _datetime_preparer(field, connection)

    if plain_save and not isinstance(field, models.FileField):

        def prepared_unless_none(obj):
            value = getattr(obj, attname)  # what pre_save answers for such a field
            return None if value is None else field.get_db_prep_save(value, connection)

        return prepared_unless_none

    def prepared(obj):
        return field.get_db_prep_save(field.pre_save(obj, True), connection)

    return prepared


def _datetime_preparer(field, connection):
    """An aware datetime as the driver takes it without the per-value trip through
    ``get_db_prep_save`` (a third of the insert's time in a LAPOR! import): as it is for
    PostgreSQL (``adapt_datetimefield_value`` answers it unchanged), as SQLite's backend
    writes it (naive in the connection's zone, ``str()``). Anything else (a naive value, a
    date, an expression) goes the usual way."""
    attname = field.attname
    postgresql = connection.vendor == "postgresql"
    zone = None if postgresql else connection.timezone

    def prepared(obj):
        value = getattr(obj, attname)
        if value is None:
            return None
        if type(value) is dt.datetime and value.tzinfo is not None:
            return value if postgresql else str(value.astimezone(zone).replace(tzinfo=None))
        return field.get_db_prep_save(value, connection)

    return prepared


def _raw(cursor):
    """The driver's cursor under Django's wrappers (debug, instrumentation)."""
    while hasattr(cursor, "cursor") and not hasattr(cursor, "copy"):
        cursor = cursor.cursor
    return cursor


def _take_ids(connection, opts, count) -> list[int]:
    table, column = opts.db_table, opts.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        if connection.vendor != "sqlite":
            raise NotImplementedError(f"fastinsert.insert on {connection.vendor}")
        # sqlite_sequence holds the largest id the AUTOINCREMENT table ever had (no row before
        # its first insert); the UPDATE takes the write lock, so nobody takes the same ids.
        cursor.execute("UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s", [count, table])
        if cursor.rowcount == 0:
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"INSERT INTO sqlite_sequence (name, seq) "
                f"SELECT %s, COALESCE(MAX({connection.ops.quote_name(column)}), 0) + %s FROM {quoted}",
                [table, count],
            )
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        last = cursor.fetchone()[0]
    return list(range(last - count + 1, last + 1))
