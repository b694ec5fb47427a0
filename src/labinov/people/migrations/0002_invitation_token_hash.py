import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    Invitation = apps.get_model("people", "Invitation")
    for inv in Invitation.objects.all():
        inv.token_hash = hashlib.sha256(inv.token_hash.encode()).hexdigest()
        inv.save(update_fields=["token_hash"])


class Migration(migrations.Migration):
    """Invitation links' tokens are stored as sha256 hashes; existing links keep working."""

    dependencies = [("people", "0001_initial")]

    operations = [
        migrations.RenameField("invitation", "token", "token_hash"),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
    ]
