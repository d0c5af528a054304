#!/usr/bin/python3
"""Migration tools apply, upgrade and downgrade a schema as on PostgreSQL 15 (issue 12).

  tools/migrations_client_test.py --server build/dev/activestore

Starts the server and a reference PostgreSQL 15 (tools/pg_shim.py) on free ports, then runs the
same migration histories against both and compares, after every step, a dump of the schema as
the catalog shows it (tables and columns with types, NOT NULL and defaults, constraints with
pg_get_constraintdef, indexes with pg_get_indexdef, sequences):

- Alembic (python3-alembic) with SQLAlchemy: three revisions (create tables with a foreign key
  and an index; add a column with a unique constraint, widen a varchar, add a CHECK, insert
  rows; rename a column, add a NOT NULL column with a server default and a partial index,
  rename a table), upgraded to head, downgraded to base, upgraded again.
- Django (python3-django): an app with three migrations (models with foreign keys, a JSON
  field, unique and check constraints, indexes; then AddField, AlterField, RenameField,
  AddIndex, AddConstraint; then RemoveField, RenameModel), migrated forwards, with ORM
  writes and reads in between, then back to 0001 and to zero. Django creates its foreign keys
  DEFERRABLE INITIALLY DEFERRED and runs SET CONSTRAINTS.

The last line is `N passed, N failed`; exit code 1 if any failed.
"""

import os
import sys
import textwrap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_harness import run_with_reference  # noqa: E402  (same folder)

SCHEMA_QUERIES = [
    # Columns in order (not their attnum: PostgreSQL keeps dropped columns' numbers).
    """SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
              coalesce(pg_get_expr(d.adbin, d.adrelid), '')
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
        WHERE n.nspname = 'public' AND c.relkind = 'r'
        ORDER BY c.relname, a.attnum""",
    """SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
         FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 'n'
        ORDER BY 1, 2""",
    """SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
        ORDER BY 1, 2""",
    """SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1""",
]

ALEMBIC_ENV = """
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
engine = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.",
                            poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()
"""

ALEMBIC_REVISIONS = {
    "0001_init.py": """
        import sqlalchemy as sa
        from alembic import op

        revision = "0001"
        down_revision = None

        def upgrade():
            op.create_table(
                "account",
                sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("name", sa.String(50), nullable=False),
                sa.Column("created", sa.DateTime(timezone=True), server_default=sa.func.now()),
                sa.Column("balance", sa.Numeric(12, 2), server_default="0"))
            op.create_table(
                "entry",
                sa.Column("id", sa.BigInteger, primary_key=True),
                sa.Column("account_id", sa.Integer,
                          sa.ForeignKey("account.id", ondelete="CASCADE"), nullable=False),
                sa.Column("amount", sa.Numeric(12, 2), nullable=False),
                sa.Column("memo", sa.Text))
            op.create_index("ix_entry_account", "entry", ["account_id"])

        def downgrade():
            op.drop_index("ix_entry_account", "entry")
            op.drop_table("entry")
            op.drop_table("account")
        """,
    "0002_email.py": """
        import sqlalchemy as sa
        from alembic import op

        revision = "0002"
        down_revision = "0001"

        def upgrade():
            op.add_column("account", sa.Column("email", sa.String(120)))
            op.create_unique_constraint("uq_account_email", "account", ["email"])
            op.alter_column("account", "name", type_=sa.String(100),
                            existing_type=sa.String(50), existing_nullable=False)
            op.create_check_constraint("ck_entry_amount", "entry", "amount <> 0")
            op.execute("INSERT INTO account (name, email) VALUES ('a', 'a@example.org'), ('b', NULL)")
            op.execute("INSERT INTO entry (account_id, amount, memo) "
                       "SELECT id, 10.5, name FROM account")

        def downgrade():
            op.execute("DELETE FROM entry")
            op.execute("DELETE FROM account")
            op.drop_constraint("ck_entry_amount", "entry", type_="check")
            op.alter_column("account", "name", type_=sa.String(50),
                            existing_type=sa.String(100), existing_nullable=False)
            op.drop_constraint("uq_account_email", "account", type_="unique")
            op.drop_column("account", "email")
        """,
    "0003_ledger.py": """
        import sqlalchemy as sa
        from alembic import op

        revision = "0003"
        down_revision = "0002"

        def upgrade():
            op.alter_column("entry", "memo", new_column_name="note")
            op.add_column("entry", sa.Column("posted", sa.Boolean, nullable=False,
                                             server_default=sa.false()))
            op.create_index("ix_entry_posted_amount", "entry", ["posted", "amount"],
                            postgresql_where=sa.text("posted"))
            op.rename_table("entry", "ledger_entry")

        def downgrade():
            op.rename_table("ledger_entry", "entry")
            op.drop_index("ix_entry_posted_amount", "entry")
            op.drop_column("entry", "posted")
            op.alter_column("entry", "note", new_column_name="memo")
        """,
}

DJANGO_MIGRATIONS = {
    "0001_initial.py": """
        import django.db.models.deletion
        from django.db import migrations, models

        class Migration(migrations.Migration):
            initial = True
            dependencies = []
            operations = [
                migrations.CreateModel(
                    name="Customer",
                    fields=[
                        ("id", models.BigAutoField(primary_key=True, serialize=False)),
                        ("name", models.CharField(max_length=100)),
                        ("email", models.EmailField(max_length=254, unique=True)),
                        ("created", models.DateTimeField(auto_now_add=True)),
                    ],
                ),
                migrations.CreateModel(
                    name="Product",
                    fields=[
                        ("id", models.BigAutoField(primary_key=True, serialize=False)),
                        ("sku", models.CharField(max_length=20, unique=True)),
                        ("price", models.DecimalField(decimal_places=2, max_digits=8)),
                        ("attrs", models.JSONField(default=dict)),
                    ],
                ),
                migrations.CreateModel(
                    name="Order",
                    fields=[
                        ("id", models.BigAutoField(primary_key=True, serialize=False)),
                        ("qty", models.PositiveIntegerField(default=1)),
                        ("created", models.DateTimeField(auto_now_add=True)),
                        ("customer", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE, related_name="orders",
                            to="shop.customer")),
                        ("product", models.ForeignKey(
                            on_delete=django.db.models.deletion.PROTECT, to="shop.product")),
                    ],
                    options={
                        "indexes": [models.Index(fields=["created"], name="order_created_idx")],
                    },
                ),
                migrations.AddConstraint(
                    model_name="product",
                    constraint=models.CheckConstraint(check=models.Q(price__gte=0),
                                                      name="price_nonneg"),
                ),
            ]
        """,
    "0002_changes.py": """
        from django.db import migrations, models

        class Migration(migrations.Migration):
            dependencies = [("shop", "0001_initial")]
            operations = [
                migrations.AddField(model_name="customer", name="phone",
                                    field=models.CharField(max_length=30, null=True)),
                migrations.AlterField(model_name="product", name="price",
                                      field=models.DecimalField(decimal_places=2, max_digits=12)),
                migrations.RenameField(model_name="order", old_name="qty", new_name="quantity"),
                migrations.AddIndex(model_name="customer",
                                    index=models.Index(fields=["name", "phone"],
                                                       name="customer_name_phone")),
                migrations.AddConstraint(
                    model_name="order",
                    constraint=models.UniqueConstraint(fields=["customer", "product"],
                                                       name="one_order_per_product")),
            ]
        """,
    "0003_rename.py": """
        from django.db import migrations

        class Migration(migrations.Migration):
            dependencies = [("shop", "0002_changes")]
            operations = [
                migrations.RemoveField(model_name="customer", name="phone"),
                migrations.RenameModel(old_name="Product", new_name="Item"),
            ]
        """,
}

DJANGO_MODELS = """
from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=100)
    email = models.EmailField(unique=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "shop"


class Item(models.Model):
    sku = models.CharField(max_length=20, unique=True)
    price = models.DecimalField(max_digits=12, decimal_places=2)
    attrs = models.JSONField(default=dict)

    class Meta:
        app_label = "shop"
        constraints = [models.CheckConstraint(check=models.Q(price__gte=0), name="price_nonneg")]


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")
    product = models.ForeignKey(Item, on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "shop"
        indexes = [models.Index(fields=["created"], name="order_created_idx")]
        constraints = [models.UniqueConstraint(fields=["customer", "product"],
                                               name="one_order_per_product")]
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(textwrap.dedent(text).lstrip())


def schema_dump(port):
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres",
                            connect_timeout=10, sslmode="disable")
    try:
        cur = conn.cursor()
        out = []
        for q in SCHEMA_QUERIES:
            cur.execute(q)
            out.extend(" | ".join(str(v) for v in r) for r in cur.fetchall())
            out.append("--")
        return out
    finally:
        conn.close()


def compare(check, name, server, reference):
    got, want = schema_dump(server.port), schema_dump(reference.port)
    diff = [("- " + w, "+ " + g) for w, g in zip(want, got) if w != g]
    if len(got) != len(want):
        diff.append(("%d lines" % len(want), "%d lines" % len(got)))
    check(name, not diff, "\n".join("%s\n%s" % d for d in diff[:10]))


def alembic_steps(server, reference, tmp, check):
    from alembic import command
    from alembic.config import Config

    root = os.path.join(tmp, "alembic")
    write(os.path.join(root, "env.py"), ALEMBIC_ENV)
    write(os.path.join(root, "script.py.mako"), "")
    for name, text in ALEMBIC_REVISIONS.items():
        write(os.path.join(root, "versions", name), text)

    def config(port):
        cfg = Config()
        cfg.set_main_option("script_location", root)
        cfg.set_main_option("sqlalchemy.url",
                            "postgresql+psycopg2://postgres@127.0.0.1:%d/postgres" % port)
        return cfg

    for step, action in [("upgrade 0001", lambda c: command.upgrade(c, "0001")),
                         ("upgrade head", lambda c: command.upgrade(c, "head")),
                         ("downgrade 0001", lambda c: command.downgrade(c, "0001")),
                         ("downgrade base", lambda c: command.downgrade(c, "base")),
                         ("upgrade head again", lambda c: command.upgrade(c, "head"))]:
        ok = True
        for target in (reference, server):
            try:
                action(config(target.port))
            except Exception as e:  # noqa: BLE001 - report and go on
                ok = False
                check("alembic %s on %s" % (step, "PostgreSQL" if target is reference else
                                             "ActiveStore"), False, repr(e)[:500])
        if ok:
            compare(check, "alembic %s: schema as PostgreSQL's" % step, server, reference)
    # The data the revisions wrote, through the renamed table.
    import psycopg2

    got = []
    for target in (reference, server):
        conn = psycopg2.connect(host="127.0.0.1", port=target.port, user="postgres",
                                dbname="postgres")
        cur = conn.cursor()
        cur.execute("SELECT a.name, a.email, e.amount, e.note, e.posted FROM ledger_entry e "
                    "JOIN account a ON a.id = e.account_id ORDER BY a.name")
        got.append(cur.fetchall())
        cur.execute("DROP TABLE ledger_entry, account, alembic_version")
        conn.commit()
        conn.close()
    check("alembic rows as PostgreSQL's", got[0] == got[1] and len(got[0]) == 2, repr(got))


def django_steps(server, reference, tmp, check):
    import django
    from django.conf import settings

    app = os.path.join(tmp, "django_app", "shop")
    write(os.path.join(app, "__init__.py"), "")
    write(os.path.join(app, "models.py"), DJANGO_MODELS)
    write(os.path.join(app, "migrations", "__init__.py"), "")
    for name, text in DJANGO_MIGRATIONS.items():
        write(os.path.join(app, "migrations", name), text)
    sys.path.insert(0, os.path.dirname(app))

    def db(port):
        return {"ENGINE": "django.db.backends.postgresql", "NAME": "postgres", "USER": "postgres",
                "HOST": "127.0.0.1", "PORT": str(port)}

    settings.configure(
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "shop"],
        DATABASES={"default": db(reference.port), "dut": db(server.port)},
        USE_TZ=True, TIME_ZONE="UTC", DEFAULT_AUTO_FIELD="django.db.models.BigAutoField")
    django.setup()
    from django.core.management import call_command
    from django.db import IntegrityError, transaction
    from django.db.models import Count, Sum

    def migrate(*args):
        ok = True
        for alias in ("default", "dut"):
            try:
                call_command("migrate", *args, database=alias, verbosity=0)
            except Exception as e:  # noqa: BLE001 - report and go on
                ok = False
                check("django migrate %s on %s" % (" ".join(args) or "all", alias), False,
                      repr(e)[:500])
        return ok

    if migrate():
        compare(check, "django migrate: schema as PostgreSQL's", server, reference)
    from shop.models import Customer, Item, Order

    results = []
    for alias in ("default", "dut"):
        out = []
        a = Customer.objects.using(alias).create(name="Ann", email="ann@example.org")
        b = Customer.objects.using(alias).create(name="Bob", email="bob@example.org")
        p = Item.objects.using(alias).create(sku="S1", price="9.99", attrs={"color": "red"})
        q = Item.objects.using(alias).create(sku="S2", price="120.00", attrs={})
        Order.objects.using(alias).create(customer=a, product=p, quantity=2)
        Order.objects.using(alias).create(customer=a, product=q)
        Order.objects.using(alias).create(customer=b, product=p, quantity=5)
        out.append(list(Customer.objects.using(alias).annotate(n=Count("orders"),
                                                               units=Sum("orders__quantity"))
                        .order_by("name").values_list("name", "n", "units")))
        out.append(list(Item.objects.using(alias).filter(attrs__color="red")
                        .values_list("sku", flat=True)))
        for bad in (lambda: Order.objects.using(alias).create(customer=b, product=p),
                    lambda: Item.objects.using(alias).create(sku="S3", price="-1"),
                    lambda: Order.objects.using(alias).create(customer_id=999, product=p)):
            try:
                with transaction.atomic(using=alias):
                    bad()
                out.append("no error")
            except IntegrityError as e:
                out.append(type(e).__name__)
        out.append(Order.objects.using(alias).count())
        Order.objects.using(alias).all().delete()
        Customer.objects.using(alias).all().delete()
        Item.objects.using(alias).all().delete()
        results.append(out)
    check("django ORM answers as on PostgreSQL", results[0] == results[1], repr(results))
    if migrate("shop", "0001"):
        compare(check, "django migrate shop 0001: schema as PostgreSQL's", server, reference)
    if migrate("shop", "zero"):
        compare(check, "django migrate shop zero: schema as PostgreSQL's", server, reference)


def body(server, reference, tmp, check):
    try:
        import alembic  # noqa: F401
    except ImportError:
        check("python3-alembic is installed", False)
    else:
        alembic_steps(server, reference, tmp, check)
    try:
        import django  # noqa: F401
    except ImportError:
        check("python3-django is installed", False)
    else:
        django_steps(server, reference, tmp, check)


if __name__ == "__main__":
    sys.exit(run_with_reference(__doc__.splitlines()[0], body))
