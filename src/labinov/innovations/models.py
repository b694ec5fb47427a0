from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from labinov.core.regulation import Initiator, InnovationForm


class InnovationStatus(models.TextChoices):
    SELECTED = "selected", _("Selected")
    # later stages (action plan, implementing, launched, ...) are added by the Design and Deliver features


class Innovation(models.Model):
    """An innovation a unit carries on: born from one selected idea or from several merged ones.

    Its profile (PP 38 / IID fields) and action plan grow in the Design stage; here it holds
    what screening decided and where it came from (`source_ideas`).
    """

    pemda = models.ForeignKey("regions.Pemda", on_delete=models.CASCADE, related_name="innovations", verbose_name=_("pemda"))
    program = models.ForeignKey(
        "programs.Program", null=True, blank=True, on_delete=models.SET_NULL, related_name="innovations", verbose_name=_("program")
    )
    unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="innovations", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    form = models.CharField(_("form (bentuk)"), max_length=24, choices=InnovationForm.choices, blank=True)
    is_digital = models.BooleanField(_("digital"), default=False)
    urusan = models.JSONField(_("urusan"), default=list, blank=True)
    initiator = models.CharField(_("initiator"), max_length=24, choices=Initiator.choices, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=InnovationStatus.choices, default=InnovationStatus.SELECTED)
    published_at = models.DateTimeField(_("published in the catalogue"), null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("innovation")
        verbose_name_plural = _("innovations")
        ordering = ["name"]
        indexes = [models.Index(fields=["program", "unit"]), models.Index(fields=["published_at"])]

    def __str__(self):
        return self.name
