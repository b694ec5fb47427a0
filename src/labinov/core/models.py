from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """One row per write: who did what to which object, in which pemda, with the changed fields."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.SET_NULL
    )
    pemda = models.ForeignKey(
        "regions.Pemda", verbose_name=_("pemda"), null=True, blank=True, on_delete=models.CASCADE
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["pemda", "-created_at"])]

    def __str__(self):
        return f"{self.action} {self.object_type}:{self.object_id}"


class SubmissionToken(models.Model):
    """A form's one-time token: the second post of the same form is recognised and changes nothing."""

    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)


class BackgroundJob(models.Model):
    """What every job a background task works on has: a status the page polls, a message when it
    failed, who asked. Subclasses add what the job makes (booklets, commitment PDFs)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @classmethod
    def claim(cls, pk) -> bool:
        """Moves a queued job to running in one UPDATE: only one worker run ever gets it."""
        from django.utils import timezone

        return bool(cls.objects.filter(pk=pk, status=cls.Status.QUEUED).update(status=cls.Status.RUNNING, updated_at=timezone.now()))
