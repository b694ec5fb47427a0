import datetime

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .audit import PresentedRecords, object_type_label
from .models import AuditRecord


def audit_list(
    *,
    actor,
    pemda,
    action: str = "",
    actor_id: int | None = None,
    object_type: str = "",
    object_id: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditRecord]:
    """The pemda's records, newest first, filtered. Dates are days in the current time zone, both included."""
    qs = AuditRecord.objects.filter(pemda=pemda).select_related("actor")
    if action:
        qs = qs.filter(action__startswith=action)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    return qs


def audit_presented(*, actor, pemda, **filters) -> PresentedRecords:
    """`audit_list`, sliced into readable records that follow the visibility rules of their objects."""
    return PresentedRecords(audit_list(actor=actor, pemda=pemda, **filters), viewer=actor)


def audit_filter_choices(*, actor, pemda) -> dict[str, list[tuple[str, str]]]:
    """The people and object types that occur in the pemda's audit trail (two queries)."""
    records = AuditRecord.objects.filter(pemda=pemda)
    users = get_user_model().objects.filter(pk__in=records.exclude(actor=None).values("actor_id")).order_by("full_name", "email")
    types = records.order_by().values_list("object_type", flat=True).distinct()
    return {
        "actors": [(str(u.pk), u.full_name or u.email) for u in users.only("pk", "full_name", "email")],
        "object_types": sorted(((t, object_type_label(t)) for t in types if t), key=lambda c: c[1].lower()),
    }
