"""Deliver: commitment documents and their signing, monitoring with evidence, and the launching.

- `CommitmentTemplate` (one per program): the title the pemda uses (Kontrak Kerja Inovasi,
  Perjanjian Kinerja Inovasi, ...), its text, number pattern, place and date, who countersigns and
  the LAN witness.
- `Commitment`: one document per unit or per innovation, with its parties and signing status.
- `CommitmentBatch`: the background job that renders documents to PDF (one ZIP, one merged PDF).
- `ProgressReport` with `Evidence`, and `MilestoneProgress` (the latest state of each milestone).
- `CoachNote` (notes and a traffic light), `Launch` with the innovations it launched.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from labinov.core.models import BackgroundJob


class CommitmentScope(models.TextChoices):
    UNIT = "unit", _("One document per unit (all its innovations)")
    INNOVATION = "innovation", _("One document per innovation")


class Countersigner(models.TextChoices):
    HEAD = "head", _("The head of region")
    SEKDA = "sekda", _("The sekda on behalf of the head of region (a.n.)")


DEFAULT_OPENING = (
    "Dalam rangka mewujudkan inovasi daerah melalui Laboratorium Inovasi, kami yang bertanda tangan di bawah ini:\n"
    "Pihak Pertama: {unit_head}, {jabatan}, {unit}.\n"
    "Pihak Kedua: {kepala_daerah}, {jabatan_kepala_daerah} {pemda}.\n"
    "Pihak Pertama berjanji melaksanakan inovasi berikut sesuai rencana aksi yang telah disetujui, "
    "dan Pihak Kedua akan memberikan dukungan yang diperlukan serta melakukan evaluasi atas capaiannya."
)
DEFAULT_CLOSING = (
    "Perjanjian ini berlaku sampai dengan {akhir_periode}. Capaian inovasi dipantau secara berkala "
    "dan dilaporkan dengan bukti dukung."
)


class CommitmentTemplate(models.Model):
    """How a program's commitment documents look: chosen by the pemda before they are generated."""

    program = models.OneToOneField("programs.Program", on_delete=models.CASCADE, related_name="commitment_template")
    scope = models.CharField(_("documents"), max_length=12, choices=CommitmentScope.choices, default=CommitmentScope.UNIT)
    title = models.CharField(_("title"), max_length=120, default="Perjanjian Kinerja Inovasi")
    number_pattern = models.CharField(_("number pattern"), max_length=120, default="{klasifikasi}/{urut}/{unit}/{tahun}")
    classification = models.CharField(_("classification code (klasifikasi)"), max_length=20, default="050")
    opening = models.TextField(_("opening text"), default=DEFAULT_OPENING)
    closing = models.TextField(_("closing text"), default=DEFAULT_CLOSING)
    place = models.CharField(_("place of signing"), max_length=100, blank=True)
    signing_date = models.DateField(_("date of signing"), null=True, blank=True)
    countersigner = models.CharField(_("countersigned by"), max_length=8, choices=Countersigner.choices, default=Countersigner.HEAD)
    witness_name = models.CharField(_("witness (LAN official)"), max_length=200, blank=True)
    witness_nip = models.CharField(_("NIP of the witness"), max_length=18, blank=True)
    witness_position = models.CharField(_("position of the witness"), max_length=200, blank=True)
    period_ends_on = models.DateField(_("end of the commitment period"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("commitment template")


class CommitmentStatus(models.TextChoices):
    DRAFTED = "drafted", _("Drafted")
    SIGNED_BY_UNIT_HEAD = "signed_unit", _("Signed by the unit head")
    COUNTERSIGNED = "countersigned", _("Countersigned")
    WITNESSED = "witnessed", _("Witnessed")
    ACTIVE = "active", _("Active")
    FULFILLED = "fulfilled", _("Fulfilled")
    NOT_FULFILLED = "not_fulfilled", _("Not fulfilled")


class Party(models.TextChoices):
    UNIT_HEAD = "unit_head", _("Unit head")
    COUNTERSIGNER = "countersigner", _("Head of region (or sekda a.n.)")
    WITNESS = "witness", _("Witness (LAN)")


class Employment(models.TextChoices):
    """Whether a party is a civil servant (PNS, with an 18-digit NIP printed under the signature) or not:
    PPPK, non-ASN (the head of a private school) and elected officials sign without a NIP line."""

    PNS = "pns", _("Civil servant (PNS), with a NIP")
    PPPK = "pppk", _("PPPK (no NIP line)")
    NON_ASN = "non_asn", _("Non-ASN (no NIP line)")


class SignedFileKind(models.TextChoices):
    SCAN = "scan", _("Scan of the signed paper")
    ELECTRONIC = "electronic", _("Electronically signed PDF")


class Commitment(models.Model):
    """A kontrak kerja / perjanjian kinerja inovasi of one unit (or one innovation) in a program."""

    pemda = models.ForeignKey("regions.Pemda", on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="commitments")
    unit = models.ForeignKey("regions.Unit", on_delete=models.PROTECT, related_name="commitments", verbose_name=_("unit"))
    innovation = models.ForeignKey(
        "innovations.Innovation", null=True, blank=True, on_delete=models.CASCADE, related_name="commitments"
    )
    sequence = models.PositiveIntegerField(_("sequence (urut)"))
    number = models.CharField(_("number"), max_length=120)
    status = models.CharField(_("status"), max_length=16, choices=CommitmentStatus.choices, default=CommitmentStatus.DRAFTED)
    unit_head_name = models.CharField(_("name of the unit head"), max_length=200, blank=True)
    unit_head_nip = models.CharField(_("NIP of the unit head"), max_length=18, blank=True)
    unit_head_position = models.CharField(_("position (jabatan)"), max_length=200, blank=True)
    unit_head_employment = models.CharField(_("the unit head is"), max_length=8, choices=Employment.choices, default=Employment.PNS)
    unit_head_signed_by = models.CharField(max_length=200, blank=True)
    unit_head_signed_on = models.DateField(null=True, blank=True)
    countersigned_by = models.CharField(max_length=200, blank=True)
    countersigned_on = models.DateField(null=True, blank=True)
    witnessed_by = models.CharField(max_length=200, blank=True)
    witnessed_on = models.DateField(null=True, blank=True)
    activated_on = models.DateField(null=True, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_note = models.TextField(blank=True)
    # the document as it was signed: its HTML section, rendered when the first party signs
    frozen_section = models.TextField(blank=True, editable=False)
    document = models.FileField(upload_to="commitments/", blank=True)  # the generated PDF, served through a permission check
    document_made_at = models.DateTimeField(null=True, blank=True)
    signed_file = models.FileField(upload_to="commitments/signed/", blank=True)
    signed_file_kind = models.CharField(max_length=12, choices=SignedFileKind.choices, blank=True)
    signed_file_type = models.CharField(max_length=40, blank=True)
    signature_report = models.JSONField(default=dict, blank=True)  # what the PAdES check found
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(fields=["program", "sequence"], name="commitment_unique_sequence"),
            models.UniqueConstraint(fields=["program", "unit"], condition=Q(innovation__isnull=True), name="commitment_one_per_unit"),
            models.UniqueConstraint(fields=["program", "innovation"], condition=Q(innovation__isnull=False),
                                    name="commitment_one_per_innovation"),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self):
        return self.number


class CommitmentBatch(BackgroundJob):
    """PDFs of a program's commitments made by a background task: a ZIP and one merged PDF."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="commitment_batches")
    commitment_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    zip_name = models.CharField(max_length=255, blank=True)
    pdf_name = models.CharField(max_length=255, blank=True)

    class Meta(BackgroundJob.Meta):
        pass

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


class MilestoneState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    BLOCKED = "blocked", _("Blocked")


class ProgressReport(models.Model):
    """A unit's report on one milestone of the approved action plan, at any time or during a monitoring event."""

    milestone = models.ForeignKey("innovations.Milestone", on_delete=models.CASCADE, related_name="reports")
    innovation = models.ForeignKey("innovations.Innovation", on_delete=models.CASCADE, related_name="progress_reports")
    event = models.ForeignKey("programs.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("monitoring event"))
    status = models.CharField(_("status"), max_length=12, choices=MilestoneState.choices)
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    obstacles = models.TextField(_("obstacles (kendala)"), blank=True)
    note = models.TextField(_("what was done"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField()

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["innovation", "-reported_at"])]
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_at_most_100")]


class Evidence(models.Model):
    """A file (PDF, PNG, JPEG, checked by content) or a video link attached to a report."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=8)  # pdf, png, jpeg, video
    file = models.FileField(upload_to="evidence/", blank=True)  # under MEDIA_ROOT, outside the web root
    content_type = models.CharField(max_length=40, blank=True)
    original_name = models.CharField(max_length=120, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    video_url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]


class MilestoneProgress(models.Model):
    """The latest reported state of a milestone (its reports are the history)."""

    milestone = models.OneToOneField("innovations.Milestone", on_delete=models.CASCADE, related_name="progress")
    innovation = models.ForeignKey("innovations.Innovation", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=MilestoneState.choices, default=MilestoneState.NOT_STARTED)
    percent = models.PositiveSmallIntegerField(default=0)
    last_report_at = models.DateTimeField(null=True, blank=True)
    overdue_since = models.DateField(null=True, blank=True)  # set by the daily check, cleared when done

    class Meta:
        indexes = [models.Index(fields=["innovation", "status"])]


class Rating(models.TextChoices):
    GREEN = "green", _("Green: on track")
    YELLOW = "yellow", _("Yellow: needs attention")
    RED = "red", _("Red: off track")


class CoachNote(models.Model):
    innovation = models.ForeignKey("innovations.Innovation", on_delete=models.CASCADE, related_name="coach_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    rating = models.CharField(_("rating"), max_length=8, choices=Rating.choices)
    text = models.TextField(_("note"))
    event = models.ForeignKey("programs.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]


class DigestRun(models.Model):
    """One run of the daily overdue check, so a second run on the same day sends nothing twice."""

    day = models.DateField(unique=True)
    overdue = models.PositiveIntegerField(default=0)
    mails = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)


class Launch(models.Model):
    """The launching of innovations (peluncuran): they move to stage penerapan and are announced."""

    pemda = models.ForeignKey("regions.Pemda", on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="launches")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    launched_by = models.CharField(_("launched by"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    decree_type = models.CharField(_("decree"), max_length=8, blank=True)
    decree_number = models.CharField(_("decree number"), max_length=100, blank=True)
    decree_date = models.DateField(_("decree date"), null=True, blank=True)
    innovations = models.ManyToManyField("innovations.Innovation", through="LaunchedInnovation", related_name="launches")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("launching")
        ordering = ["-held_on", "-id"]


class LaunchedInnovation(models.Model):
    launch = models.ForeignKey(Launch, on_delete=models.CASCADE, related_name="items")
    innovation = models.OneToOneField("innovations.Innovation", on_delete=models.CASCADE, related_name="launch_item")
    decree_type = models.CharField(max_length=8, blank=True)
    decree_number = models.CharField(max_length=100, blank=True)
    decree_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
