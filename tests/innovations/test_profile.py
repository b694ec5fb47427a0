"""The innovation profile (IID profil inovasi) and its completeness checklist."""

import pytest
from django.core.exceptions import ValidationError

from labinov.innovations.models import Innovation
from labinov.innovations.services import profile_checklist, profile_get_or_create, profile_update


@pytest.fixture
def innovation(world):
    world.program.stage = "design"
    world.program.save(update_fields=["stage"])
    return Innovation.objects.create(pemda=world.own, program=world.program, unit=world.kel, name="Surat pengantar online",
                                     urusan=["adminduk"])


def test_design_description_counts_words_towards_300(world, innovation):
    text = " ".join(["kata"] * 150)
    profile = profile_update(actor=world.users["innovator"], innovation=innovation, problem=text, how_it_works=text)
    assert profile.design_word_count() == 300
    done = dict(profile_checklist(profile))
    assert any(ok for label, ok in done.items() if "300" in str(label))


def test_bad_profile_input_is_refused_and_changes_nothing(world, innovation):
    with pytest.raises(ValidationError) as e:
        profile_update(actor=world.users["innovator"], innovation=innovation, sdgs=[0, 18], contact_nip="123",
                       urusan_primary="bukan_urusan", team=[{"name": "", "role": "manager"}])
    assert {"sdgs", "contact_nip", "urusan_primary", "team"} <= set(e.value.message_dict)
    profile = profile_get_or_create(innovation=innovation)
    assert profile.sdgs == [] and profile.contact_nip == ""
