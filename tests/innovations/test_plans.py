"""Action plans: writing in Design, the review loop, approval, frozen versions and their differences."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from labinov.core.models import AuditRecord
from labinov.innovations import plans
from labinov.innovations.models import Innovation, PlanStatus

D = datetime.date


@pytest.fixture
def design(world):
    world.program.stage = "design"
    world.program.save(update_fields=["stage"])
    world.innovation = Innovation.objects.create(pemda=world.own, program=world.program, unit=world.kel, name="Surat pengantar online")
    return world


def _content(**over):
    content = {
        "objective": "Surat pengantar selesai dalam satu hari",
        "indicators": [{"name": "Waktu layanan", "unit_of_measure": "hari", "baseline": "3", "target": "1"}],
        "milestones": [
            {"activity": "Sosialisasi ke RT", "starts_on": D(2019, 7, 1), "ends_on": D(2019, 7, 15), "pic": "Lurah", "quick_win": True},
            {"activity": "Uji coba layanan WhatsApp", "starts_on": D(2019, 7, 16), "ends_on": D(2019, 8, 31), "pic": "Sekretaris"},
        ],
        "risks": [{"risk": "Warga belum terbiasa", "mitigation": "Pendampingan oleh RT"}],
        "stakeholders": [{"name": "Ketua RT/RW", "contribution": "Sosialisasi"}],
    }
    content.update(over)
    return content


def _approved(world):
    plan = plans.plan_start(actor=world.users["innovator"], innovation=world.innovation)
    plans.plan_save(actor=world.users["innovator"], plan=plan, **_content())
    plans.plan_submit(actor=world.users["innovator"], plan=plan)
    plans.plan_coach_approve(actor=world.users["coach"], plan=plan)
    plans.plan_unit_approve(actor=world.users["unit_head"], plan=plan)
    return plan


def test_the_full_review_loop_freezes_the_approved_version(design):
    w = design
    plan = plans.plan_start(actor=w.users["innovator"], innovation=w.innovation)
    plans.plan_save(actor=w.users["innovator"], plan=plan, **_content())
    plans.plan_submit(actor=w.users["innovator"], plan=plan)
    first = plan.milestones.get(order=0)
    plans.plan_comment(actor=w.users["coach"], plan=plan, text="Tambahkan jadwal per RW", milestone_order=first.order, requests_change=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CHANGES_REQUESTED
    plans.plan_save(actor=w.users["innovator"], plan=plan, **_content())
    plans.plan_submit(actor=w.users["innovator"], plan=plan)
    plans.plan_coach_approve(actor=w.users["coach"], plan=plan)
    plans.plan_unit_approve(actor=w.users["unit_head"], plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.frozen
    with pytest.raises(ValidationError):
        plans.plan_save(actor=w.users["innovator"], plan=plan, **_content(objective="Diubah"))
    actions = set(AuditRecord.objects.filter(object_type="innovations.actionplan").values_list("action", flat=True))
    assert {"plan.submit", "plan.request_changes", "plan.coach_approve", "plan.approve"} <= actions


def test_an_empty_plan_cannot_be_sent_for_review(design):
    plan = plans.plan_start(actor=design.users["innovator"], innovation=design.innovation)
    with pytest.raises(ValidationError, match="objective"):
        plans.plan_submit(actor=design.users["innovator"], plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_milestone_dates_in_order_and_inside_the_program_unless_allowed(design):
    w = design
    plan = plans.plan_start(actor=w.users["innovator"], innovation=w.innovation)
    backwards = [{"activity": "X", "starts_on": D(2019, 8, 1), "ends_on": D(2019, 7, 1), "pic": "Lurah"}]
    with pytest.raises(ValidationError, match="ends before it starts"):
        plans.plan_save(actor=w.users["innovator"], plan=plan, **_content(milestones=backwards))
    outside = [{"activity": "X", "starts_on": D(2020, 2, 1), "ends_on": D(2020, 3, 1), "pic": "Lurah"}]
    with pytest.raises(ValidationError, match="outside the program period"):
        plans.plan_save(actor=w.users["innovator"], plan=plan, **_content(milestones=outside))
    assert not plan.milestones.exists()
    plans.plan_allow_outside_period(actor=w.users["organiser"], plan=plan, allow=True)
    plans.plan_save(actor=w.users["innovator"], plan=plan, **_content(milestones=outside))
    assert plan.milestones.count() == 1


def test_one_person_cannot_approve_as_coach_and_as_unit_head(design, make_user):
    w = design
    from labinov.people.services import membership_grant

    both = w.users["unit_head"]
    membership_grant(actor=None, user=both, role="coach", pemda=w.own)
    plan = plans.plan_start(actor=w.users["innovator"], innovation=w.innovation)
    plans.plan_save(actor=w.users["innovator"], plan=plan, **_content())
    plans.plan_submit(actor=w.users["innovator"], plan=plan)
    plans.plan_coach_approve(actor=both, plan=plan)
    with pytest.raises(ValidationError, match="same person"):
        plans.plan_unit_approve(actor=both, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.COACH_APPROVED


def test_a_new_version_copies_the_frozen_one_and_the_difference_is_listed(design):
    w = design
    v1 = _approved(w)
    v2 = plans.plan_new_version(actor=w.users["innovator"], innovation=w.innovation)
    assert (v2.version, v2.status, v2.milestones.count()) == (2, PlanStatus.DRAFT, 2)
    changed = _content()
    changed["milestones"][1]["ends_on"] = D(2019, 9, 30)
    plans.plan_save(actor=w.users["innovator"], plan=v2, **changed)
    diff = plans.plan_diff(v1, v2)
    assert diff == [{"part": "milestones", "index": 2, "field": "ends_on", "old": D(2019, 8, 31), "new": D(2019, 9, 30)}]
    v1.refresh_from_db()
    assert v1.milestones.get(order=1).ends_on == D(2019, 8, 31)  # the approved version is untouched


def test_after_design_a_revision_needs_the_organisers_reason(design):
    w = design
    _approved(w)
    w.program.stage = "deliver_monitoring"
    w.program.save(update_fields=["stage"])
    w.innovation.refresh_from_db()
    with pytest.raises(ValidationError):
        plans.plan_new_version(actor=w.users["organiser"], innovation=w.innovation)
    v2 = plans.plan_new_version(actor=w.users["organiser"], innovation=w.innovation, reason="Jadwal uji coba bergeser")
    assert v2.revision_reason == "Jadwal uji coba bergeser"
    assert AuditRecord.objects.filter(action="plan.new_version", object_id=str(v2.pk)).exists()


def test_plans_are_started_in_design_only(world):
    innovation = Innovation.objects.create(pemda=world.own, program=world.program, unit=world.kel, name="X")
    with pytest.raises(ValidationError, match="Design"):
        plans.plan_start(actor=world.users["innovator"], innovation=innovation)


def test_rules_follow_roles_and_stage(design):
    w = design
    plan = plans.plan_start(actor=w.users["innovator"], innovation=w.innovation)
    assert w.users["innovator"].has_perm("innovations.edit_plan", plan)
    assert not w.users["leader"].has_perm("innovations.edit_plan", plan)
    assert w.users["coach"].has_perm("innovations.review_plan", plan)
    assert not w.users["innovator"].has_perm("innovations.review_plan", plan)
    assert w.users["unit_head"].has_perm("innovations.approve_plan_as_unit", plan)
    assert not w.users["innovator"].has_perm("innovations.approve_plan_as_unit", plan)
    assert not w.users["other_organiser"].has_perm("innovations.edit_plan", plan)
