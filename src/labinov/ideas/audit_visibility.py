"""The audit trail follows the visibility rule of ideas (see visibility.py).

A record about an idea is readable by those who may see the idea as it was when it was recorded:

- the unit's own people and the idea's writer read every record, drafts included;
- others read the records of an idea they may see now (submitted, and their role allows it), but
  not those written while it was still a draft (before `submitted_at`): a draft's text stays the
  unit's until it is submitted;
- a record about an idea that no longer exists is not readable (fail closed).

Registered with the audit trail in IdeasConfig.ready(); one query per page, whatever the number of records.
"""

from __future__ import annotations

from .visibility import idea_visible_to, own_unit_ids, sees_all_submitted


def hidden_idea_records(user, records) -> set[int]:
    from .models import Idea, Screening

    ids = {int(r.object_id) for r in records if r.object_id.isdigit()}
    ideas = {i.pk: i for i in Idea.objects.filter(pk__in=ids).only(
        "pk", "pemda_id", "program_id", "unit_id", "status", "created_by_id", "submitted_at")}
    needs_publication = {i.program_id for i in ideas.values() if not sees_all_submitted(user, i.pemda_id)}
    published = set(Screening.objects.filter(program_id__in=needs_publication, published_at__isnull=False)
                    .values_list("program_id", flat=True)) if needs_publication else set()
    hidden = set()
    for record in records:
        idea = ideas.get(int(record.object_id)) if record.object_id.isdigit() else None
        if idea is None:
            hidden.add(record.pk)
            continue
        own = idea.unit_id in own_unit_ids(user, idea.pemda_id) or (
            idea.created_by_id is not None and idea.created_by_id == getattr(user, "pk", None))
        if own:
            continue
        if not idea_visible_to(user, idea, published=idea.program_id in published):
            hidden.add(record.pk)
        elif idea.submitted_at is not None and record.created_at < idea.submitted_at:
            hidden.add(record.pk)  # written while the idea was a draft
    return hidden
