#!/usr/bin/python3
"""SQLAlchemy (python3-sqlalchemy, psycopg2 dialect) works as on PostgreSQL 15.

  tools/sqlalchemy_client_test.py --server build/dev/activestore

Starts the server on a free port with a fresh temporary --data-dir, connects with SQLAlchemy's
defaults (its first-connect queries: server version, hstore lookup, standard_conforming_strings,
...), runs `MetaData.create_all` on a schema with the usual ORM column types (Integer primary keys,
which become serial, String(n), Text, Numeric, Boolean, DateTime with and without time zone,
Date, JSON, an Enum, foreign keys, unique and check constraints, indexes, comments, a second
schema), writes and reads rows through the ORM, then dumps what the inspector and
`MetaData.reflect()` see (tables, columns, types, defaults, keys, indexes, comments) and
compares the dump with sql-tests/catalog/sqlalchemy/inspect.out, taken from PostgreSQL 15
(`--server tools/pg_shim.py --write` writes it again). Ends with `drop_all`. The last line is
`N passed, N failed`; exit code 1 if any failed.
"""

import datetime
import decimal
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import expected_output, run  # noqa: E402  (same folder)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXPECTED = os.path.join(ROOT, "sql-tests", "catalog", "sqlalchemy", "inspect.out")
WRITE = "--write" in sys.argv
if WRITE:
    sys.argv.remove("--write")


def build_metadata(sa):
    md = sa.MetaData()
    sa.Table(
        "customers", md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, comment="display name"),
        sa.Column("email", sa.String(120), unique=True),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.text("true")),
        sa.Column("created", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.Column("tier", sa.Enum("free", "pro", "team", name="tier_kind")),
        sa.Column("profile", sa.JSON),
        comment="people who buy",
    )
    sa.Table(
        "orders", md,
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("total", sa.Numeric(12, 2), nullable=False),
        sa.Column("placed", sa.Date),
        sa.Column("at", sa.DateTime),
        sa.Column("note", sa.Text),
        sa.CheckConstraint("total >= 0", name="orders_total_check"),
        sa.UniqueConstraint("customer_id", "placed", name="orders_one_per_day"),
        sa.Index("orders_placed_idx", "placed"),
    )
    sa.Table(
        "audit", md,
        sa.Column("order_id", sa.BigInteger, sa.ForeignKey("orders.id"), primary_key=True),
        sa.Column("seq", sa.SmallInteger, primary_key=True, autoincrement=False),
        sa.Column("what", sa.String(20), server_default="created"),
        schema="s2",
    )
    return md


def dump(sa, engine):
    """What the inspector and reflection see, as sorted text lines."""
    insp = sa.inspect(engine)
    out = []
    out.append("schemas %s" % sorted(s for s in insp.get_schema_names()
                                     if s in ("public", "s2")))
    for schema in (None, "s2"):
        for t in sorted(insp.get_table_names(schema=schema)):
            q = "%s.%s" % (schema or "public", t)
            out.append("table %s comment=%r" % (q, insp.get_table_comment(t, schema=schema)["text"]))
            for c in insp.get_columns(t, schema=schema):
                out.append("  column %s %s nullable=%s default=%r autoinc=%s comment=%r" % (
                    c["name"], c["type"], c["nullable"], c.get("default"),
                    c.get("autoincrement"), c.get("comment")))
            pk = insp.get_pk_constraint(t, schema=schema)
            out.append("  pk %s %s" % (pk["name"], pk["constrained_columns"]))
            for fk in sorted(insp.get_foreign_keys(t, schema=schema), key=lambda f: f["name"]):
                out.append("  fk %s %s -> %s.%s %s %s" % (
                    fk["name"], fk["constrained_columns"], fk["referred_schema"],
                    fk["referred_table"], fk["referred_columns"], sorted(fk["options"].items())))
            for ix in sorted(insp.get_indexes(t, schema=schema), key=lambda i: i["name"]):
                out.append("  index %s %s unique=%s" % (ix["name"], ix["column_names"],
                                                         ix["unique"]))
            for uc in sorted(insp.get_unique_constraints(t, schema=schema),
                             key=lambda u: u["name"]):
                out.append("  unique %s %s" % (uc["name"], uc["column_names"]))
            for cc in sorted(insp.get_check_constraints(t, schema=schema),
                             key=lambda c: c["name"]):
                out.append("  check %s %s" % (cc["name"], cc["sqltext"]))
    out.append("views %s" % sorted(insp.get_view_names()))
    out.append("enums %s" % [(e["name"], e["labels"]) for e in insp.get_enums()])
    md = sa.MetaData()
    md.reflect(bind=engine)
    for t in sorted(md.tables):
        table = md.tables[t]
        out.append("reflected %s %s" % (t, [(c.name, str(c.type), c.primary_key)
                                             for c in table.columns]))
    return out


def body(server, check):
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    url = "postgresql+psycopg2://postgres:postgres@127.0.0.1:%d/postgres" % server.port
    engine = sa.create_engine(url, future=True)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE SCHEMA s2"))
    md = build_metadata(sa)
    md.create_all(engine)
    check("create_all", True)
    check("has_table", sa.inspect(engine).has_table("orders") and
          not sa.inspect(engine).has_table("nope"))

    customers, orders = md.tables["customers"], md.tables["orders"]
    with Session(engine) as session:
        cid = session.execute(customers.insert().values(
            name="Ada", email="ada@example.com", tier="pro",
            profile={"langs": ["en", "fr"]}).returning(customers.c.id)).scalar_one()
        session.execute(orders.insert(), [
            {"customer_id": cid, "total": decimal.Decimal("12.50"),
             "placed": datetime.date(2024, 1, 2), "at": datetime.datetime(2024, 1, 2, 3, 4, 5)},
            {"customer_id": cid, "total": decimal.Decimal("7.25"),
             "placed": datetime.date(2024, 1, 3), "at": None},
        ])
        session.commit()
        got = session.execute(
            sa.select(customers.c.name, customers.c.tier, customers.c.profile,
                      sa.func.sum(orders.c.total), sa.func.count())
            .join(orders).group_by(customers.c.id)).all()
        check("orm round trip",
              got == [("Ada", "pro", {"langs": ["en", "fr"]}, decimal.Decimal("19.75"), 2)],
              repr(got))
        try:
            session.execute(orders.insert().values(customer_id=cid, total=-1))
            session.commit()
            check("check constraint", False, "negative total accepted")
        except sa.exc.IntegrityError as e:
            session.rollback()
            check("check constraint", e.orig.pgcode == "23514", e.orig.pgcode)

    text = "\n".join(dump(sa, engine)) + "\n"
    want = expected_output(EXPECTED, text, WRITE)
    if want is not None:
        got_lines, want_lines = text.splitlines(), want.splitlines()
        for i in range(max(len(got_lines), len(want_lines))):
            g = got_lines[i] if i < len(got_lines) else "<missing>"
            w = want_lines[i] if i < len(want_lines) else "<missing>"
            check("inspect line %d" % (i + 1), g == w, "\n  got  %s\n  want %s" % (g, w))
    md.drop_all(engine)
    check("drop_all", not sa.inspect(engine).has_table("orders"))
    engine.dispose()


if __name__ == "__main__":
    sys.exit(run(__doc__.splitlines()[0], body))
