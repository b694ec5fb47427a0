from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class HeadTitle(models.TextChoices):
    WALIKOTA = "Walikota", _("Walikota")
    BUPATI = "Bupati", _("Bupati")
    GUBERNUR = "Gubernur", _("Gubernur")


class Pemda(models.Model):
    """A regional government using Labinov: the tenant every pemda-owned row belongs to."""

    region_code = models.CharField(_("region code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=200)
    head_title = models.CharField(_("title of the head of region"), max_length=16, choices=HeadTitle.choices)
    head_name = models.CharField(_("name of the head of region"), max_length=200, blank=True)
    sekda_name = models.CharField(_("name of the sekda"), max_length=200, blank=True)
    sekda_nip = models.CharField(_("NIP of the sekda"), max_length=18, blank=True)
    coordinating_unit = models.CharField(
        _("coordinating unit"), max_length=200, blank=True, help_text=_("e.g. Bappedalitbang, Bagian Organisasi, BKPSDM")
    )
    address = models.TextField(_("address for letterheads"), blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    logo = models.FileField(_("logo"), upload_to="logos/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    enabled_at = models.DateTimeField(_("enabled at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pemda")
        verbose_name_plural = _("pemda")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def slug(self) -> str:
        """The code without dots, used in URLs: 33.73 → 3373."""
        return self.region_code.replace(".", "")


class UnitKind(models.TextChoices):
    SETDA_BAGIAN = "setda_bagian", _("Setda (bagian)")
    SETWAN = "setwan", _("Sekretariat DPRD")
    INSPEKTORAT = "inspektorat", _("Inspektorat")
    DINAS = "dinas", _("Dinas")
    BADAN = "badan", _("Badan")
    KANTOR = "kantor", _("Kantor")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA = "desa", _("Desa")
    UPTD = "uptd", _("UPTD")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    RSUD = "rsud", _("RSUD")
    SD = "sd", _("SD")
    SMP = "smp", _("SMP")
    SMA = "sma", _("SMA/SMK")
    BUMD = "bumd", _("BUMD")
    OTHER = "other", _("Other")


SCHOOL_KINDS = frozenset({UnitKind.SD, UnitKind.SMP, UnitKind.SMA})
OPD_KINDS = frozenset(
    {UnitKind.SETDA_BAGIAN, UnitKind.SETWAN, UnitKind.INSPEKTORAT, UnitKind.DINAS, UnitKind.BADAN, UnitKind.KANTOR, UnitKind.KECAMATAN}
)


class Ownership(models.TextChoices):
    NEGERI = "negeri", _("Negeri (public)")
    SWASTA = "swasta", _("Swasta (private)")


class Unit(models.Model):
    """A unit of a pemda that takes part: OPD, kecamatan, kelurahan, school, puskesmas, RSUD, ..."""

    pemda = models.ForeignKey(Pemda, on_delete=models.CASCADE, related_name="units", verbose_name=_("pemda"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent unit")
    )
    ownership = models.CharField(_("negeri/swasta"), max_length=8, choices=Ownership.choices, blank=True)
    code = models.CharField(_("code"), max_length=32, blank=True)
    region_code = models.CharField(_("region code"), max_length=13, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        indexes = [models.Index(fields=["pemda", "name"], name="unit_pemda_name")]
        constraints = [
            models.UniqueConstraint(Lower("name"), "pemda", name="unit_unique_name_per_pemda"),
            models.UniqueConstraint(fields=["pemda", "code"], condition=~Q(code=""), name="unit_unique_code_per_pemda"),
            models.CheckConstraint(
                condition=Q(ownership="") | Q(kind__in=["sd", "smp", "sma"]),
                name="unit_ownership_only_for_schools",
            ),
        ]

    def __str__(self):
        return self.name
