"""`labinov check_overdue`: the daily check of Deliver (run it from cron or a systemd timer once a day).

Flags milestones past their end date and not done in programs in Deliver or Display, and e-mails
one digest to each unit head, innovator and coach concerned. A second run on the same day sends
nothing. `--enqueue` hands the work to the background worker instead of doing it here.
"""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Flag overdue milestones and e-mail the daily digests (once a day)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="Let the background worker do it.")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            from labinov.delivery.tasks import check_overdue

            result = check_overdue.enqueue()
            self.stdout.write(f"queued: {result.id}")
            return
        from labinov.delivery.monitoring import overdue_check

        result = overdue_check()
        if result["skipped"]:
            self.stdout.write("already done today")
        else:
            self.stdout.write(f"{result['overdue']} overdue milestones, {result['mails']} e-mails")
