"""A person's own data as one JSON document (UU PDP 27/2022: the right to obtain one's data and the
record of its processing). The page people/my_data.html shows the same in words."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from labinov.core.audit import audit_present


def _when(value):
    return timezone.localtime(value).isoformat() if value else None


def _audit_row(r) -> dict:
    row = {
        "time": _when(r.created_at),
        "actor": (r.actor.full_name or r.actor.email) if r.actor else _("the system"),
        "action": r.action,
        "action_label": r.action_label,
        "object_type": r.object_type_label,
        "object": r.object_repr,
        "pemda": r.pemda.name if r.pemda else None,
        "changes": [],
    }
    for c in r.change_rows:
        if c.is_pair:
            row["changes"].append({"field": c.label, "old": c.old.full or c.old.text, "new": c.new.full or c.new.text})
        else:
            row["changes"].append({"field": c.label, "value": c.value.full or c.value.text})
    return row


def document(data: dict, *, viewer) -> dict:
    """The JSON-ready dict of `people.selectors.personal_data`, audit records in words."""
    user = data["user"]
    audit = audit_present(data["audit"], viewer=viewer)
    return {
        "about": _("Personal data held by Labinov about the account below, and the record of its processing "
                   "(UU PDP 27/2022)."),
        "made_at": _when(timezone.now()),
        "account": {
            "email": user.email, "full_name": user.full_name, "active": user.is_active,
            "language": user.language, "joined": _when(user.date_joined), "last_login": _when(user.last_login),
        },
        "roles": [
            {"role": m.get_role_display(), "pemda": m.pemda.name if m.pemda else None,
             "unit": m.unit.name if m.unit else None, "since": _when(m.created_at)}
            for m in data["memberships"]
        ],
        "people_records": [
            {"pemda": p.pemda.name, "name": p.name, "nip": p.nip, "jabatan": p.jabatan,
             "unit": p.unit.name if p.unit else None, "email": p.email, "phone": p.phone,
             "linked_to_account": p.user_id == user.pk}
            for p in data["people"]
        ],
        "invitations": [
            {"pemda": i.pemda.name, "email": i.email, "full_name": i.full_name, "role": i.get_role_display(),
             "unit": i.unit.name if i.unit else None,
             "invited_by": (i.invited_by.full_name or i.invited_by.email) if i.invited_by else None,
             "sent": _when(i.created_at), "accepted": _when(i.accepted_at)}
            for i in data["invitations"]
        ],
        "api_tokens": [
            {"name": t.name, "created": _when(t.created_at), "expires": _when(t.expires_at),
             "last_used": _when(t.last_used_at), "revoked": t.revoked}
            for t in data["tokens"]
        ],
        "login_locks": [
            {"kind": lk.get_scope_display(), "attempts": lk.count, "counting_since": _when(lk.window_started_at),
             "locked_until": _when(lk.locked_until)}
            for lk in data["locks"]
        ],
        "audit_records": [_audit_row(r) for r in audit],
    }
