"""A date inside a message reads like a date on the page: "1 March 2019", not "2019-03-01" (issue 9.8)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from labinov.innovations import plans
from labinov.innovations.models import Innovation

D = datetime.date


def test_the_program_period_in_a_milestone_message_is_written_as_a_date(world):
    w = world
    w.program.stage = "design"
    w.innovation = Innovation.objects.create(pemda=w.own, program=w.program, unit=w.kel, name="Surat pengantar online")
    w.program.starts_on, w.program.ends_on = D(2019, 3, 1), D(2019, 12, 31)
    w.program.save(update_fields=["stage", "starts_on", "ends_on"])
    plan = plans.plan_start(actor=w.users["innovator"], innovation=w.innovation)
    outside = [{"activity": "X", "starts_on": D(2020, 2, 1), "ends_on": D(2020, 3, 1), "pic": "Lurah"}]
    for language, period in (("en", "(1 March 2019 – 31 December 2019)"), ("id", "(1 Maret 2019 – 31 Desember 2019)")):
        with translation.override(language), pytest.raises(ValidationError) as caught:
            plans.plan_save(actor=w.users["innovator"], plan=plan, objective="Tujuan", milestones=outside)
        messages = " ".join(m for ms in caught.value.message_dict.values() for m in ms)
        assert period in messages, messages
        assert "2019-03-01" not in messages
