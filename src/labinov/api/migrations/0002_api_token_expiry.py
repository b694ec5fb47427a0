import datetime

from django.db import migrations, models


def expire_old_tokens(apps, schema_editor):
    """Tokens made before expiry existed get the default lifetime, counted from today."""
    from django.utils import timezone

    ApiToken = apps.get_model("api", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True, revoked=False).update(
        expires_at=timezone.now() + datetime.timedelta(days=90))


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(blank=True, help_text='After this moment the token is refused; empty: never.', null=True, verbose_name='expires at'),
        ),
        migrations.RunPython(expire_old_tokens, migrations.RunPython.noop),
    ]
