"""`labinov bench generate` (issue 14): bulk-written, realistic, consistent data."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Avg, Count, Max, Min

pytestmark = pytest.mark.django_db


def test_generate_writes_varied_consistent_data_with_bulk_inserts(django_assert_max_num_queries):
    from labinov.delivery.models import Commitment, MilestoneProgress
    from labinov.ideas.models import Idea
    from labinov.innovations.models import Milestone
    from labinov.programs.models import Program
    from labinov.regions.models import Unit

    out = io.StringIO()
    with django_assert_max_num_queries(900):  # bulk inserts: a save loop would need one query per row (10,000+)
        call_command("bench", "generate", "--scale", "tiny", stdout=out)
    text = out.getvalue()
    assert "Generated scale tiny in" in text and "ideas" in text
    big = Program.objects.get(name__endswith="(sekolah)")
    assert big.participations.count() >= 1000 and big.ideas.count() == 200
    assert Program.objects.values("year").distinct().count() == 10
    kinds = set(Unit.objects.values_list("kind", flat=True))
    assert {"kecamatan", "sma", "sd", "puskesmas", "dinas"} <= kinds and kinds & {"kelurahan", "desa"}
    assert Unit.objects.exclude(region_code="").filter(kind__in=["kelurahan", "desa"]).exists()  # from the region list
    ideas = Idea.objects.count()
    assert 500 <= ideas <= 700  # about the scale: 600
    assert Idea.objects.values("problem").distinct().count() == ideas  # no text repeated
    assert Idea.objects.values("title").distinct().count() > ideas * 0.9
    # the stored review aggregates equal the reviews
    for idea in Idea.objects.exclude(status="draft").annotate(n=Count("reviews"), lo=Min("reviews__score"),
                                                              hi=Max("reviews__score"), m=Avg("reviews__score"))[:200]:
        assert (idea.review_count, idea.score_min, idea.score_max) == (idea.n, idea.lo, idea.hi)
        assert abs(float(idea.score_mean) - float(idea.m)) < 0.01
    assert Milestone.objects.count() == MilestoneProgress.objects.count() > 0
    assert Commitment.objects.exists()
    with pytest.raises(CommandError):
        call_command("bench", "generate", "--scale", "tiny", stdout=io.StringIO())  # not into a database with data
