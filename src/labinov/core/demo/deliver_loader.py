"""Demo Deliver data for Salatiga's Lab INAGARA 2019 (seed 002): monitoring reports from the Deliver
monitoring workshop of 28–30 August 2019 with evidence and coach notes, the 140 Perjanjian Kinerja
Inovasi signed at the launching of 14 November 2019 (innovators with the Pemerintah Kota Salatiga,
the sekda signing for the mayor, witnessed by LAN's Dra. Eli Fatimah, M.Si), and the launching itself
by the sekda, Drs. Fakruroji, in Ruang Kaloka, Gedung Setda. The decree number is invented.

Reports, evidence and signatures are written in bulk (the services would take minutes for this
many); the commitments are prepared and the launching recorded through their services.
"""

from __future__ import annotations

import datetime
import hashlib
import io

from django.core.files.base import ContentFile
from django.utils import timezone

from labinov.delivery import commitments, launching
from labinov.delivery.models import (
    CoachNote,
    Commitment,
    CommitmentStatus,
    Evidence,
    MilestoneProgress,
    ProgressReport,
)
from labinov.innovations.models import ActionPlan, Milestone
from labinov.programs.models import Event

LAUNCH_DAY = datetime.date(2019, 11, 14)
MONITORING_DAY = datetime.date(2019, 8, 29)
OBSTACLES = [
    "Jadwal sosialisasi bentrok dengan ujian sekolah.",
    "Perangkat komputer belum tersedia; menunggu pengadaan APBD Perubahan.",
    "Belum semua RT bersedia menjadi lokasi uji coba.",
]


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _photo(label: int) -> bytes:
    """A small JPEG standing for a photo of the activity."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (480, 320), (40 + label * 7 % 150, 110, 90))
    draw = ImageDraw.Draw(img)
    draw.rectangle((20, 20, 460, 300), outline=(255, 255, 255), width=4)
    draw.text((40, 140), f"Dokumentasi kegiatan #{label}", fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def _minutes_pdf() -> bytes:
    """A one-page PDF standing for the minutes (berita acara) of an activity."""
    from pypdf import PdfWriter

    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": "Berita acara kegiatan"})
    writer.write(out)
    return out.getvalue()


def _save_evidence(report, kind: str, data: bytes, name: str, content_type: str, ext: str) -> Evidence:
    evidence = Evidence(report=report, kind=kind, content_type=content_type, original_name=name, size=len(data),
                        sha256=hashlib.sha256(data).hexdigest())
    evidence.file.save(f"{report.innovation.pemda_id}/demo-{report.pk}-{kind}{ext}", ContentFile(data), save=False)
    return evidence


def _sign_all(program, commitments, day: datetime.date, countersigned_by: str, witnessed_by: str) -> list[Commitment]:
    """Every party signed `commitments` on `day` and each has its signed scan (a generated image), as
    activation requires: written in bulk, the documents frozen first as the services do at the first
    signature."""
    from labinov.delivery.documents import freeze

    rows = list(commitments.select_related("program__pemda", "unit", "innovation"))
    freeze(rows)
    for c in rows:
        c.status = CommitmentStatus.ACTIVE
        c.unit_head_signed_by, c.unit_head_signed_on = c.unit_head_name or "Kepala unit", day
        c.countersigned_by, c.countersigned_on = countersigned_by, day
        c.witnessed_by, c.witnessed_on = witnessed_by, day
        c.activated_on = day
    Commitment.objects.bulk_update(rows, ["status", "unit_head_signed_by", "unit_head_signed_on", "countersigned_by", "countersigned_on",
                                          "witnessed_by", "witnessed_on", "activated_on"], batch_size=500)
    scan = _photo(99)
    for c in rows:
        c.signed_file.save(f"{program.pk}-{c.pk}-demo.jpg", ContentFile(scan), save=False)
        c.signed_file_kind, c.signed_file_type = "scan", "image/jpeg"
        c.save(update_fields=["signed_file", "signed_file_kind", "signed_file_type"])
    return rows


def load_salatiga_deliver(program, admin, rng) -> None:
    innovations = list(program.innovations.select_related("unit", "pemda").order_by("unit__name", "pk"))
    coaches = {a.unit_id: a.coach for a in program.coach_assignments.select_related("coach")}
    event = next((e for e in Event.objects.filter(program=program) if "deliver_monitoring" in e.stages), None)
    plan_innovation = dict(ActionPlan.objects.filter(innovation__program=program, status="approved").values_list("pk", "innovation_id"))
    by_innovation: dict[int, list[Milestone]] = {}
    for m in Milestone.objects.filter(plan_id__in=plan_innovation).order_by("plan_id", "order"):
        by_innovation.setdefault(plan_innovation[m.plan_id], []).append(m)

    # --- monitoring at the workshop of 28–30 August 2019 ---
    reports, states, notes = [], [], []
    for n, innovation in enumerate(innovations):
        ms = by_innovation.get(innovation.pk, [])
        if len(ms) < 3:
            continue
        lagging = n % 9 == 4  # about one in nine slips: its SOP is late
        blocked = n % 23 == 7
        plan = [
            (ms[0], "done", 100, "", "Tim inovasi terbentuk; sosialisasi kepada penerima manfaat."),
            (ms[1], "in_progress" if lagging else "done", 60 if lagging else 100, OBSTACLES[n % 3] if lagging else "",
             "SOP disusun bersama pendamping."),
            (ms[2], "blocked" if blocked else ("not_started" if lagging else "in_progress"), 0 if lagging else (10 if blocked else 30 + n % 5 * 10),
             OBSTACLES[(n + 1) % 3] if blocked else "", "Uji coba layanan dimulai."),
        ]
        for m, status, percent, obstacles, note in plan:
            reports.append(ProgressReport(milestone=m, innovation=innovation, event=event, status=status, percent=percent,
                                          obstacles=obstacles, note=note, reported_by=admin,
                                          reported_at=_aware(MONITORING_DAY, 9 + len(reports) % 8)))
            states.append(MilestoneProgress(milestone=m, innovation=innovation, status=status, percent=percent,
                                            last_report_at=_aware(MONITORING_DAY, 9 + len(reports) % 8)))
        coach = coaches.get(innovation.unit_id)
        if coach:
            rating = "red" if blocked else ("yellow" if lagging else "green")
            text = {"red": "Uji coba terhenti; perlu dukungan pimpinan untuk mengatasi kendala.",
                    "yellow": "SOP terlambat; percepat agar uji coba dapat dimulai sebelum launching.",
                    "green": "Sesuai rencana aksi; lanjutkan uji coba dan kumpulkan bukti dukung."}[rating]
            notes.append(CoachNote(innovation=innovation, author=coach, rating=rating, text=text, event=event,
                                   created_at=_aware(MONITORING_DAY + datetime.timedelta(days=1), 15)))
    ProgressReport.objects.bulk_create(reports, batch_size=500)
    MilestoneProgress.objects.bulk_create(states, batch_size=500)
    CoachNote.objects.bulk_create(notes, batch_size=500)
    evidence = [Evidence(report=r, kind="video", video_url=f"https://www.youtube.com/watch?v=inagara2019-{r.innovation_id}")
                for r in reports[::3]]  # the first milestone of each: a video of the socialisation
    minutes = _minutes_pdf()
    for i, r in enumerate(reports[1::3][:12]):  # a dozen SOP reports carry the minutes and a photo
        evidence.append(_save_evidence(r, "pdf", minutes, "berita-acara-penyusunan-sop.pdf", "application/pdf", ".pdf"))
        evidence.append(_save_evidence(r, "jpeg", _photo(i), "foto-kegiatan.jpg", "image/jpeg", ".jpg"))
    Evidence.objects.bulk_create(evidence, batch_size=500)

    # --- the Perjanjian Kinerja Inovasi, signed at the launching ---
    commitments.template_update(
        actor=admin, program=program, scope="innovation", title="Perjanjian Kinerja Inovasi", classification="060",
        number_pattern="{klasifikasi}/{urut}/INAGARA/{bulan}/{tahun}", place="Salatiga", signing_date=LAUNCH_DAY,
        countersigner="sekda", witness_name="Dra. Eli Fatimah, M.Si", witness_nip="",
        witness_position="Plt. Kepala Pusat Inovasi Administrasi Negara LAN", period_ends_on=datetime.date(2020, 11, 14))
    commitments.commitments_prepare(actor=admin, program=program)
    _sign_all(program, Commitment.objects.filter(program=program), LAUNCH_DAY, program.pemda.sekda_name, "Dra. Eli Fatimah, M.Si")

    # --- the launching ---
    launching.launch_record(
        actor=admin, program=program, held_on=LAUNCH_DAY, place="Ruang Kaloka, Gedung Setda Pemkot Salatiga",
        launched_by="Sekretaris Daerah Kota Salatiga, Drs. Fakruroji", innovation_ids=[i.pk for i in innovations],
        note="Workshop Akselerasi Inovasi Administrasi Negara (INAGARA) Tahap Deliver Launching; penandatanganan "
             "Perjanjian Kinerja Inovasi disaksikan Dra. Eli Fatimah, M.Si (LAN).",
        decree_type="sk_kdh", decree_number="060/417/2019", decree_date=LAUNCH_DAY)


# --------------------------------------------------------------------------- Yogyakarta 2015 and Banjar 2017

YOGYAKARTA_LAUNCH_DAY = datetime.date(2015, 5, 22)  # seed 000: "Jumat (22/5)", 2015
BANJAR_LAUNCH_DAY = datetime.date(2018, 3, 1)  # seed 003: "telah di launching di tahun 2018"; the day is invented
BANJAR_SIGNING_DAY = datetime.date(2019, 9, 10)  # seed 003: the Laboratorium Inovasi workshop, Selasa (10/9/2019)


# seed 000: the units whose representatives signed the kontrak kerja inovasi at the launching
YOGYAKARTA_SIGNING_UNITS = [("dinas", "Dinas Perizinan"), ("lembaga teknis", "Kantor Pengelolaan Taman Pintar"),
                            ("setda", "Bagian Teknologi Informasi dan Telematika Setda"), ("kecamatan", "Kecamatan Danurejan"),
                            ("kelurahan", "Kelurahan Giwangan")]


def load_yogyakarta_launch(program, admin) -> None:
    """Seed 000: the launching of Friday 22 May 2015 in Ruang Rapat Bima, opened with the gong by the
    Kepala LAN and the Walikota, with the kontrak kerja inovasi signed by the representatives of the
    units named in the seed. It launches the 87 innovations whose action plans were made; they were
    published at the Display of November 2015 already, so nothing is announced again. The decree
    number is invented (the launching service asks for one)."""
    innovations = list(program.innovations.values_list("pk", flat=True))
    launching.launch_record(
        actor=admin, program=program, held_on=YOGYAKARTA_LAUNCH_DAY,
        place="Ruang Rapat Bima, Kompleks Balaikota Pemerintah Kota Yogyakarta, Jl. Kenari No. 56 Yogyakarta",
        launched_by="Kepala LAN Prof. Agus Dwiyanto dan Walikota Yogyakarta Haryadi Suyuti (pemukulan gong)",
        innovation_ids=innovations, announce=False,
        note="Daerah pertama dari lima daerah Laboratorium Inovasi 2015 yang melakukan launching. Penandatanganan "
             "kontrak kerja inovasi oleh perwakilan Dinas Perizinan, Kantor Pengelolaan Taman Pintar, Bagian Teknologi "
             "Informasi dan Telematika Setda, Kecamatan Danurejan dan Kelurahan Giwangan, disaksikan seluruh peserta.",
        decree_type="sk_kdh", decree_number="188/0522/2015", decree_date=YOGYAKARTA_LAUNCH_DAY)
    # The kontrak kerja inovasi: one per unit with the Walikota, witnessed for LAN by the head of the
    # Pusat Inovasi Tata Pemerintahan that ran the lab. The seed reports the signing of the units'
    # representatives only, so theirs are signed and active; the other units' contracts are prepared
    # and wait for their signatures (the demo's place to try signing).
    commitments.template_update(
        actor=admin, program=program, scope="unit", title="Kontrak Kerja Inovasi", classification="060",
        number_pattern="{klasifikasi}/{urut}/LABINOV/{tahun}", place="Yogyakarta", signing_date=YOGYAKARTA_LAUNCH_DAY,
        countersigner="head", witness_name="Dr. Basseng, M.Ed", witness_nip="",
        witness_position="Kepala Pusat Inovasi Tata Pemerintahan LAN", period_ends_on=datetime.date(2015, 11, 30))
    commitments.commitments_prepare(actor=admin, program=program)
    representatives = {unit for _title, unit in YOGYAKARTA_SIGNING_UNITS}
    _sign_all(program, Commitment.objects.filter(program=program, unit__name__in=representatives), YOGYAKARTA_LAUNCH_DAY,
              program.pemda.head_name, "Dr. Basseng, M.Ed")


def load_banjar_deliver(program, admin) -> None:
    """Seed 003: the 104 innovations "telah di launching di tahun 2018". The day, the place (the venue of
    the seed's 2019 workshop), who launched them and the decree number are invented."""
    innovations = list(program.innovations.values_list("pk", flat=True))
    launching.launch_record(
        actor=admin, program=program, held_on=BANJAR_LAUNCH_DAY, place="Mahligai Sultan Adam, Martapura",
        launched_by="Bupati Banjar H. Khalilurrahman", innovation_ids=innovations,
        note="Peluncuran 104 inovasi hasil Laboratorium Inovasi Kabupaten Banjar 2017 (268 ide inovasi).",
        decree_type="sk_kdh", decree_number="188.45/301/KUM/2018", decree_date=BANJAR_LAUNCH_DAY)
    # Seed 003: the workshop of 10 September 2019 in Mahligai Sultan Adam, opened by the sekda on behalf of
    # the Bupati, signed the "Komitmen Kesepakatan Berinovasi antara Bupati Banjar dengan Kepala SKPD,
    # Camat, Lurah serta Kepala Puskesmas", with LAN's resource persons present: one per unit, the sekda
    # countersigning a.n. the Bupati, Suripto (LAN) witnessing. The number pattern and period are invented.
    commitments.template_update(
        actor=admin, program=program, scope="unit", title="Komitmen Kesepakatan Berinovasi", classification="050",
        number_pattern="{klasifikasi}/{urut}/KKB-{unit}/{tahun}", place="Martapura", signing_date=BANJAR_SIGNING_DAY,
        countersigner="sekda", witness_name="Suripto", witness_nip="", witness_position="Lembaga Administrasi Negara RI",
        period_ends_on=datetime.date(2020, 9, 10))
    commitments.commitments_prepare(actor=admin, program=program)
    _sign_all(program, Commitment.objects.filter(program=program), BANJAR_SIGNING_DAY, program.pemda.sekda_name, "Suripto")
