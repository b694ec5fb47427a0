"""Demo action plans (rencana aksi): Yogyakarta 2015's 87 and Salatiga 2019's 140, all approved
(version 1); 30 of Salatiga's have a revision (version 2) at different review states, so every page
of the review loop has something to show while monitoring follows the approved version."""

from __future__ import annotations

import datetime

from django.utils import timezone

from labinov.innovations.models import ActionPlan, Indicator, InnovationProfile, Milestone, PlanComment, Risk, Stakeholder

STEPS = [
    ("Sosialisasi dan pembentukan tim", 0, 20, True),
    ("Penyusunan SOP dan alur layanan", 21, 45, True),
    ("Uji coba layanan", 46, 110, False),
    ("Evaluasi dan perbaikan", 111, 140, False),
]


def _aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def load_plans(program, start: datetime.date, states: list[str], coaches: dict, admin, *, innovations=None, version: int = 1,
               reason: str = "") -> int:
    """One plan per innovation of the program (or of `innovations`); `states` gives the status of
    each, in unit order. A later `version` is a revision with the organiser's `reason`."""
    if innovations is None:
        innovations = list(program.innovations.select_related("unit").order_by("unit__name", "pk"))
    if len(states) != len(innovations):  # zip() would silently drop the rest (it once made "30 revisions" 28)
        raise ValueError(f"{len(states)} plan states for {len(innovations)} innovations")
    plans = []
    for innovation, status in zip(innovations, states):
        coach = coaches.get(innovation.unit_id)
        plans.append(ActionPlan(
            innovation=innovation, version=version, status=status, created_by=admin, revision_reason=reason,
            objective=f"{innovation.name}: layanan lebih cepat, mudah dan terukur bagi penerima manfaat.",
            submitted_at=_aware(start) if status != "draft" else None,
            coach_approved_by=coach if status in ("coach_approved", "approved") else None,
            coach_approved_at=_aware(start + datetime.timedelta(days=7)) if status in ("coach_approved", "approved") else None,
            approved_at=_aware(start + datetime.timedelta(days=10)) if status == "approved" else None,
        ))
    ActionPlan.objects.bulk_create(plans, batch_size=500)
    indicators, milestones, risks, stakeholders, comments, profiles = [], [], [], [], [], []
    for plan in plans:
        indicators.append(Indicator(plan=plan, order=0, name="Waktu penyelesaian layanan", unit_of_measure="hari", baseline="3", target="1"))
        indicators.append(Indicator(plan=plan, order=1, name="Kepuasan penerima manfaat", unit_of_measure="%", baseline="70", target="85"))
        for i, (activity, a, b, quick) in enumerate(STEPS):
            milestones.append(Milestone(plan=plan, order=i, activity=activity, starts_on=start + datetime.timedelta(days=a),
                                        ends_on=start + datetime.timedelta(days=b), pic="Kepala unit" if i == 0 else "Tim inovasi",
                                        output="Laporan kegiatan", budget_source="APBD" if i == 2 else "Tanpa anggaran", quick_win=quick))
        risks.append(Risk(plan=plan, order=0, risk="Penerima manfaat belum terbiasa dengan cara baru", mitigation="Pendampingan dan sosialisasi berkala"))
        stakeholders.append(Stakeholder(plan=plan, order=0, name="Ketua RT/RW dan tokoh masyarakat", contribution="Sosialisasi"))
        if plan.status == "changes_requested":
            comments.append(PlanComment(plan=plan, milestone_order=2, author=plan.coach_approved_by or admin, requests_change=True,
                                        text="Uji coba terlalu panjang; bagi menjadi dua tahap dengan evaluasi di tengah."))
        profiles.append(InnovationProfile(innovation=plan.innovation, urusan_primary=(plan.innovation.urusan or [""])[0],
                                          goals=plan.objective, problem=plan.innovation.description))
    Indicator.objects.bulk_create(indicators, batch_size=1000)
    Milestone.objects.bulk_create(milestones, batch_size=1000)
    Risk.objects.bulk_create(risks, batch_size=1000)
    Stakeholder.objects.bulk_create(stakeholders, batch_size=1000)
    PlanComment.objects.bulk_create(comments)
    InnovationProfile.objects.bulk_create(profiles, batch_size=500, ignore_conflicts=True)
    return len(plans)
