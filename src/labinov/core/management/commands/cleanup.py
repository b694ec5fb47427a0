import datetime
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from labinov.core.models import AuditRecord, SubmissionToken


class Command(BaseCommand):
    help = (
        "Deletes once-only form tokens older than a week, expired sessions, finished idea imports older than "
        "IMPORT_RETENTION_DAYS and audit records older than AUDIT_RETENTION_DAYS (0: kept for ever). "
        "Run daily, e.g. from cron."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        n, _ = SubmissionToken.objects.filter(created_at__lt=now - datetime.timedelta(days=7)).delete()
        self.stdout.write(f"{n} old form tokens deleted.")

        # what `manage.py clearsessions` does: each session engine knows how to drop its expired sessions
        engine = import_module(settings.SESSION_ENGINE)
        try:
            engine.SessionStore.clear_expired()
            self.stdout.write("Expired sessions deleted.")
        except NotImplementedError:
            self.stdout.write(f"Session engine {settings.SESSION_ENGINE} expires its sessions itself.")

        days = settings.LABINOV_IMPORT_RETENTION_DAYS
        if days > 0:
            from labinov.ideas.transfer import purge_finished

            n = purge_finished(older_than=datetime.timedelta(days=days))
            self.stdout.write(f"{n} finished imports older than {days} days deleted.")

        days = settings.LABINOV_AUDIT_RETENTION_DAYS
        if days > 0:
            n, _ = AuditRecord.objects.filter(created_at__lt=now - datetime.timedelta(days=days)).delete()
            self.stdout.write(f"{n} audit records older than {days} days deleted.")
