from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from labinov.core.models import BackgroundJob
from labinov.core.regulation import Initiator, InnovationForm


class InnovationStatus(models.TextChoices):
    SELECTED = "selected", _("Selected")
    LAUNCHED = "launched", _("Launched")


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


class IidStage(models.TextChoices):
    """Tahapan inovasi in IID reporting."""

    INISIATIF = "inisiatif", _("Initiative (inisiatif)")
    UJI_COBA = "uji_coba", _("Trial (uji coba)")
    PENERAPAN = "penerapan", _("Implementation (penerapan)")


class DecreeType(models.TextChoices):
    PERDA = "perda", _("Perda")
    PERKADA = "perkada", _("Perkada")
    SK_KDH = "sk_kdh", _("SK kepala daerah")
    SK_KPD = "sk_kpd", _("SK kepala perangkat daerah")


class Pentahelix(models.TextChoices):
    GOVERNMENT = "pemerintah", _("Government")
    BUSINESS = "bisnis", _("Business")
    COMMUNITY = "komunitas", _("Community")
    ACADEMIA = "akademisi", _("Academia")
    MEDIA = "media", _("Media")


class InnovationProfile(models.Model):
    """The PP 38/2017 and IID profile of an innovation (Profil Inovasi), filled in during Design."""

    innovation = models.OneToOneField(Innovation, on_delete=models.CASCADE, related_name="profile")
    urusan_primary = models.CharField(_("primary urusan"), max_length=24, blank=True)
    iid_stage = models.CharField(_("stage (tahapan)"), max_length=12, choices=IidStage.choices, default=IidStage.INISIATIF)
    trial_date = models.DateField(_("trial date (waktu uji coba)"), null=True, blank=True)
    implementation_date = models.DateField(_("implementation date (waktu penerapan)"), null=True, blank=True)
    # rancang bangun dan pokok perubahan (IID asks for at least 300 words in all)
    legal_basis = models.TextField(_("legal basis (dasar hukum)"), blank=True)
    problem = models.TextField(_("problem (permasalahan)"), blank=True)
    strategic_issue = models.TextField(_("strategic issue (isu strategis)"), blank=True)
    renewal_method = models.TextField(_("method of renewal (metode pembaharuan)"), blank=True)
    novelty = models.TextField(_("novelty (keunggulan dan kebaruan)"), blank=True)
    how_it_works = models.TextField(_("how it works (cara kerja)"), blank=True)
    goals = models.TextField(_("goals (tujuan)"), blank=True)
    benefits = models.TextField(_("benefits (manfaat)"), blank=True)
    results = models.TextField(_("results (hasil)"), blank=True)
    budget = models.DecimalField(_("budget (Rp)"), max_digits=15, decimal_places=0, null=True, blank=True)
    budget_note = models.CharField(_("budget source"), max_length=200, blank=True)
    sdgs = models.JSONField(_("SDGs"), default=list, blank=True)
    decree_type = models.CharField(_("decree"), max_length=8, choices=DecreeType.choices, blank=True)
    decree_number = models.CharField(_("decree number"), max_length=100, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    decree_file = models.FileField(_("decree (PDF)"), upload_to="decrees/", blank=True)
    contact_name = models.CharField(_("innovator contact"), max_length=200, blank=True)
    contact_nip = models.CharField(_("NIP"), max_length=18, blank=True)
    contact_position = models.CharField(_("position"), max_length=200, blank=True)
    contact_phone = models.CharField(_("WhatsApp number"), max_length=32, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    DESIGN_FIELDS = ("legal_basis", "problem", "strategic_issue", "renewal_method", "novelty", "how_it_works")
    MIN_DESIGN_WORDS = 300

    def design_word_count(self) -> int:
        return sum(len((getattr(self, f) or "").split()) for f in self.DESIGN_FIELDS)


class TeamMember(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", _("Managing team (tim pengelola)")
        IMPLEMENTER = "implementer", _("Implementing team (tim pelaksana)")
        ACTOR = "actor", _("Actor (aktor)")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="team")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    pentahelix = models.CharField(_("pentahelix"), max_length=12, choices=Pentahelix.choices, default=Pentahelix.GOVERNMENT)

    class Meta:
        ordering = ["role", "name", "id"]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    COACH_APPROVED = "coach_approved", _("Approved by the coach")
    APPROVED = "approved", _("Approved")


class ActionPlan(models.Model):
    """One version of an innovation's action plan (rencana aksi). An approved version is frozen;
    a later change starts the next version as a copy."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="plans")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(_("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    objective = models.TextField(_("objective (tujuan)"), blank=True)
    allow_outside_period = models.BooleanField(default=False)
    revision_reason = models.CharField(_("reason for the revision"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    coach_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    coach_approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["innovation", "-version"]
        constraints = [models.UniqueConstraint(fields=["innovation", "version"], name="plan_unique_version")]

    def __str__(self):
        return f"{self.innovation} v{self.version}"

    @property
    def frozen(self) -> bool:
        return self.status == PlanStatus.APPROVED


class Indicator(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("indicator"), max_length=255)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=50)
    baseline = models.CharField(_("baseline"), max_length=100, blank=True)
    target = models.CharField(_("target"), max_length=100)

    class Meta:
        ordering = ["order", "id"]


class Milestone(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(default=0)
    activity = models.CharField(_("activity"), max_length=255)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    pic = models.CharField(_("person in charge"), max_length=200)
    output = models.CharField(_("output"), max_length=255, blank=True)
    budget_source = models.CharField(_("budget source"), max_length=100, blank=True)
    quick_win = models.BooleanField(_("quick win"), default=False)

    class Meta:
        ordering = ["order", "starts_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="milestone_dates_in_order")]


class Risk(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="risks")
    order = models.PositiveSmallIntegerField(default=0)
    risk = models.CharField(_("risk"), max_length=255)
    mitigation = models.CharField(_("mitigation"), max_length=255)

    class Meta:
        ordering = ["order", "id"]


class Stakeholder(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="stakeholders")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("stakeholder"), max_length=200)
    contribution = models.CharField(_("contribution"), max_length=255, blank=True)

    class Meta:
        ordering = ["order", "id"]


class PlanComment(models.Model):
    """A coach's (or unit's) comment on a plan, optionally on one milestone; change requests must be resolved."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="comments")
    milestone_order = models.PositiveSmallIntegerField(null=True, blank=True)  # survives the plan's re-save
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("comment"))
    requests_change = models.BooleanField(default=False)
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class BookletJob(BackgroundJob):
    """A PDF booklet of a program's action plans, made by a background task (it takes ~0.25 s per page)."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="booklet_jobs")
    filters = models.JSONField(default=dict, blank=True)
    plans = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=255, blank=True)  # under MEDIA_ROOT, served only through a permission check

    class Meta(BackgroundJob.Meta):
        pass
