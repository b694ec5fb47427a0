import django.db.models.deletion
from django.db import migrations, models

# SQLite: an external-content FTS5 table over catalog_catalogentry(text), kept in sync by triggers, so
# every write of an entry (insert, update, delete, cascade) updates the index in the same transaction.
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE catalog_fts USING fts5(text, content='catalog_catalogentry', content_rowid='innovation_id',"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER catalog_fts_ai AFTER INSERT ON catalog_catalogentry BEGIN"
    " INSERT INTO catalog_fts(rowid, text) VALUES (new.innovation_id, new.text); END",
    "CREATE TRIGGER catalog_fts_ad AFTER DELETE ON catalog_catalogentry BEGIN"
    " INSERT INTO catalog_fts(catalog_fts, rowid, text) VALUES ('delete', old.innovation_id, old.text); END",
    "CREATE TRIGGER catalog_fts_au AFTER UPDATE ON catalog_catalogentry BEGIN"
    " INSERT INTO catalog_fts(catalog_fts, rowid, text) VALUES ('delete', old.innovation_id, old.text);"
    " INSERT INTO catalog_fts(rowid, text) VALUES (new.innovation_id, new.text); END",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS catalog_fts_ai", "DROP TRIGGER IF EXISTS catalog_fts_ad",
                   "DROP TRIGGER IF EXISTS catalog_fts_au", "DROP TABLE IF EXISTS catalog_fts"]
PG_INDEX = "catalog_entry_text_gin"


def _gin_index():
    # PostgreSQL: a GIN index over the very expression catalog/selectors.py queries, so the planner uses it.
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    return GinIndex(SearchVector("text", config="simple"), name=PG_INDEX)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        schema_editor.add_index(apps.get_model("catalog", "CatalogEntry"), _gin_index())


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("catalog", "CatalogEntry"), _gin_index())


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("innovations", "0004_alter_innovation_status"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogEntry",
            fields=[
                ("innovation", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                    related_name="catalog_entry", serialize=False, to="innovations.innovation")),
                ("text", models.TextField(blank=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={"verbose_name": "catalogue entry"},
        ),
        migrations.RunPython(forward, backward),
    ]
