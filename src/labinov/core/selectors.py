from django.db.models import QuerySet

from .models import AuditRecord


def audit_list(*, actor, pemda, action: str = "") -> QuerySet[AuditRecord]:
    qs = AuditRecord.objects.filter(pemda=pemda).select_related("actor")
    if action:
        qs = qs.filter(action__startswith=action)
    return qs
