import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from labinov.core.models import SubmissionToken


class Command(BaseCommand):
    help = "Deletes once-only form tokens older than a week (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        n, _ = SubmissionToken.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=7)).delete()
        self.stdout.write(f"{n} old form tokens deleted.")
