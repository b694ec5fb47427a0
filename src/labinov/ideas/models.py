from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from labinov.core.regulation import Initiator, InnovationForm


class IdeaStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SELECTED = "selected", _("Selected")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Rejected")


DECIDED = frozenset({IdeaStatus.SELECTED, IdeaStatus.MERGED, IdeaStatus.REJECTED})


class IdeaQuerySet(models.QuerySet):
    """Ideas, optionally with their decisions hidden (for units, until the decisions are published)."""

    _decisions_hidden = False

    def hide_decisions(self):
        clone = self._chain()
        clone._decisions_hidden = True
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._decisions_hidden = self._decisions_hidden
        return clone

    def _fetch_all(self):
        super()._fetch_all()
        if self._decisions_hidden:
            for idea in self._result_cache:
                if isinstance(idea, Idea):
                    idea.hide_decision()


class Idea(models.Model):
    """An innovation idea (ide inovasi) written by a unit in Diagnose."""

    pemda = models.ForeignKey("regions.Pemda", on_delete=models.CASCADE, related_name="ideas", verbose_name=_("pemda"))
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="ideas", verbose_name=_("program"))
    unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="ideas", verbose_name=_("unit"))
    title = models.CharField(_("title"), max_length=255)
    problem = models.TextField(_("problem (masalah)"))
    root_cause = models.TextField(_("root cause"), blank=True)
    proposed_change = models.TextField(_("proposed change (gagasan)"))
    beneficiaries = models.TextField(_("beneficiaries"), blank=True)
    expected_benefit = models.TextField(_("expected benefit"), blank=True)
    form = models.CharField(_("form (bentuk, PP 38/2017)"), max_length=24, choices=InnovationForm.choices)
    is_digital = models.BooleanField(_("digital innovation"), default=False)
    urusan = models.JSONField(_("urusan"), default=list, blank=True)
    initiator = models.CharField(_("initiator"), max_length=24, choices=Initiator.choices, default=Initiator.AGENCY)
    proposers = models.TextField(_("proposers"), blank=True, help_text=_("One name per line"))
    is_replication = models.BooleanField(_("replication (ATM) of an existing innovation"), default=False)
    replication_of = models.ForeignKey(
        "innovations.Innovation", null=True, blank=True, on_delete=models.SET_NULL, related_name="replications",
        verbose_name=_("replicated innovation"),
    )
    replication_source = models.CharField(_("replicated from (name and pemda)"), max_length=255, blank=True)
    replication_changes = models.TextField(_("what is modified"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=IdeaStatus.choices, default=IdeaStatus.DRAFT)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    innovation = models.ForeignKey(
        "innovations.Innovation", null=True, blank=True, on_delete=models.SET_NULL, related_name="source_ideas",
        verbose_name=_("became innovation"),
    )
    search_text = models.TextField(blank=True, editable=False)
    import_key = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The reviews' aggregates, stored so the ranked list sorts and pages on an index instead of
    # aggregating every review of the program; written with each review (services.review_aggregates_refresh).
    review_count = models.PositiveIntegerField(default=0, editable=False)
    score_mean = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, editable=False)
    score_min = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, editable=False)
    score_max = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, editable=False)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("innovation idea")
        verbose_name_plural = _("innovation ideas")
        ordering = ["unit__name", "title"]
        indexes = [
            models.Index(fields=["program", "status"], name="idea_program_status"),
            models.Index(fields=["program", "unit"], name="idea_program_unit"),
            models.Index(fields=["program", "status", "score_mean"], name="idea_program_status_score"),
            models.Index(fields=["program", "unit", "title", "id"], name="idea_program_unit_title"),
            # covers the visibility rule (not a draft, or the actor's unit or own draft): COUNT(*) of a page reads the index only
            models.Index(fields=["program", "status", "created_by", "unit"], name="idea_program_visible"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["program", "import_key"], condition=~Q(import_key=""), name="idea_import_key_unique"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(decision_reason=""), name="idea_rejection_has_reason"),
        ]

    def __str__(self):
        return self.title

    def hide_decision(self) -> None:
        """In memory only: a decided idea shows as submitted, with no reason and no innovation."""
        if self.status in DECIDED:
            self.status = IdeaStatus.SUBMITTED
            self.decision_reason = ""
            self.innovation_id = None
            self.decided_at = None
            self._state.fields_cache.pop("innovation", None)
            self.decision_hidden = True


class Criterion(models.Model):
    """One criterion of a program's screening rubric, with its weight."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=40)
    label = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["program", "key"], name="criterion_unique_key")]

    def __str__(self):
        return self.label


class Review(models.Model):
    """A reviewer's scores (1–5 per criterion) for one idea, and the weighted result (0–100)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_reviews")
    scores = models.JSONField(default=dict)
    score = models.DecimalField(max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "reviewer"], name="review_unique_per_reviewer")]


class Screening(models.Model):
    """A program's screening: when scoring started (the rubric is then fixed) and when decisions were published."""

    program = models.OneToOneField("programs.Program", on_delete=models.CASCADE, related_name="screening")
    started_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")


class Consolidation(models.Model):
    """A merge of near-duplicate ideas into one innovation: kept even after it is undone."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="consolidations")
    innovation = models.ForeignKey("innovations.Innovation", null=True, on_delete=models.SET_NULL, related_name="consolidations")
    title = models.CharField(max_length=255)
    idea_ids = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    READING = "reading", _("Reading the file")
    PREVIEW = "preview", _("Ready to review")
    INVALID = "invalid", _("The file has errors")
    COMMITTING = "committing", _("Saving")
    DONE = "done", _("Saved")
    FAILED = "failed", _("Failed")


class IdeaImport(models.Model):
    """A bulk upload of ideas: parsed by a background task that reports its progress here."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="idea_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    stored_file = models.CharField(max_length=255, blank=True)  # under MEDIA_ROOT/imports, deleted after use
    status = models.CharField(max_length=12, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row": 5, "column": "judul", "message": "..."}]
    summary = models.JSONField(default=dict, blank=True)  # {"new": n, "existing": m, ...}
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0


class IdeaVector(models.Model):
    """An idea's sentence vector (core/semantic.py), computed once by a background task and reused.

    ``text_hash`` is the hash of the text it was computed from: when the idea's text changes, or the
    encoder's ``model`` changes, the vector is out of date and the task computes it again.
    """

    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, primary_key=True, related_name="vector")
    model = models.CharField(max_length=40)
    text_hash = models.CharField(max_length=16)
    vector = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)


class NotDuplicate(models.Model):
    """A coach said two ideas are not duplicates: the pair is never proposed together again."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="not_duplicates")
    idea_low = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")  # the smaller id of the pair
    idea_high = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea_low", "idea_high"], name="not_duplicate_pair_unique"),
            models.CheckConstraint(condition=Q(idea_low__lt=models.F("idea_high")), name="not_duplicate_pair_ordered"),
        ]


class DuplicateScan(models.Model):
    """Proposed duplicate groups of one program at one setting, kept until the ideas change.

    Small programs are grouped inside the request; a large one (see duplicates.INLINE_LIMIT) by the
    `scan_duplicates` task, which reports its progress here. ``fingerprint`` identifies the ideas
    and vectors the groups were computed from; a scan with another fingerprint is stale.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being computed")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="duplicate_scans")
    level = models.CharField(max_length=12)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    groups = models.JSONField(default=list, blank=True)  # [{"ideas": [id, ...], "phrases": ["..."]}, ...]
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["program", "level", "fingerprint"], name="dupscan_lookup")]

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0
