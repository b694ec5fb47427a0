from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class HeadTitle(models.TextChoices):
    """The head of region's title as official documents write it (Permendagri on naskah dinas)."""

    GUBERNUR = "gubernur", _("Gubernur")
    BUPATI = "bupati", _("Bupati")
    WALI_KOTA = "wali_kota", _("Wali Kota")


class HeadActing(models.TextChoices):
    """Whether the head of region holds the office or acts in it: an appointed Penjabat (Pj, an ASN, between
    two elected heads), a Pelaksana Tugas (Plt, often the deputy) or a Pelaksana Harian (Plh, an ASN, for days)."""

    DEFINITIVE = "", _("Definitive (elected)")
    PJ = "pj", _("Pj (Penjabat)")
    PLT = "plt", _("Plt (Pelaksana Tugas)")
    PLH = "plh", _("Plh (Pelaksana Harian)")


#: the words printed in official documents, whatever the language of the page
HEAD_TITLE_WORDS = {HeadTitle.GUBERNUR: "Gubernur", HeadTitle.BUPATI: "Bupati", HeadTitle.WALI_KOTA: "Wali Kota"}
HEAD_ACTING_WORDS = {HeadActing.PJ: "Pj", HeadActing.PLT: "Plt", HeadActing.PLH: "Plh"}
#: acting heads who are always civil servants (ASN), so their documents carry a NIP
ASN_ACTING = frozenset({HeadActing.PJ, HeadActing.PLH})


def head_title_key(value: str) -> str:
    """A stored or typed title ("Walikota", "Wali Kota", "wali_kota", "BUPATI") as a HeadTitle value, or ""."""
    key = "".join(c for c in str(value or "").lower() if c.isalpha())
    return {"gubernur": HeadTitle.GUBERNUR, "bupati": HeadTitle.BUPATI, "walikota": HeadTitle.WALI_KOTA}.get(key, "")


class Pemda(models.Model):
    """A regional government using Labinov: the tenant every pemda-owned row belongs to."""

    region_code = models.CharField(_("region code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=200)
    head_title = models.CharField(_("title of the head of region"), max_length=16, choices=HeadTitle.choices)
    head_acting = models.CharField(_("the head of region holds the office as"), max_length=4, choices=HeadActing.choices,
                                   blank=True, default=HeadActing.DEFINITIVE)
    head_name = models.CharField(_("name of the head of region"), max_length=200, blank=True)
    head_nip = models.CharField(_("NIP of the head of region (Pj, Plt or Plh who is a civil servant)"), max_length=18, blank=True)
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

    @property
    def short_name(self) -> str:
        """ "Kota Salatiga" -> "Salatiga": the place in "Salatiga, 14 November 2019" and in "Wali Kota Salatiga"."""
        for prefix in ("Kabupaten ", "Kota ", "Provinsi "):
            if self.name.startswith(prefix):
                return self.name[len(prefix):]
        return self.name

    @property
    def head_office(self) -> str:
        """The title without the region, as official documents write it: "Wali Kota", "Pj Bupati"."""
        key = head_title_key(self.head_title)
        title = HEAD_TITLE_WORDS.get(key, self.head_title or "")
        acting = HEAD_ACTING_WORDS.get(self.head_acting, "")
        return f"{acting} {title}".strip()

    @property
    def head_full_title(self) -> str:
        """The one way every document and page names the head of region: "Pj Wali Kota Yogyakarta",
        "Bupati Banjar", "Gubernur Jawa Tengah"."""
        return f"{self.head_office} {self.short_name}".strip()

    @property
    def head_is_asn(self) -> bool:
        """An elected head has no NIP; a Pj or Plh is a civil servant and signs with one. A Plt is often the
        elected deputy: a NIP is printed only when one is recorded."""
        return self.head_acting in ASN_ACTING or (self.head_acting == HeadActing.PLT and bool(self.head_nip))


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
