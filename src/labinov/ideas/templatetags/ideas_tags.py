"""Template helpers of the idea pages.

`{% has_perm "ideas.add_idea" program as can_add_idea %}` asks the request's user about one object
(Django's `perms` cannot: every pemda-scoped rule answers "no" without an object).
`{% idea_status idea show_decisions %}` is the status badge; before decisions are published, a unit
sees "Submitted" for an idea that was already decided.
`{% idea_reason idea as reason %}` is the decision's reason, empty for another unit's idea.
"""

from django import template
from django.utils.html import format_html

from labinov.ideas.models import DECIDED, IdeaStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def has_perm(context, perm: str, obj=None) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.has_perm(perm, obj))


@register.simple_tag
def idea_status(idea, show_decisions: bool = True) -> str:
    status = idea.status
    if status in DECIDED and not show_decisions:
        status = IdeaStatus.SUBMITTED
    return format_html('<span class="badge idea-status idea-{}">{}</span>', status, IdeaStatus(status).label)


@register.simple_tag(takes_context=True)
def idea_reason(context, idea) -> str:
    """The reason of the idea's decision if the requesting user may read it (its own unit and the
    pemda's overseers: ideas/visibility.py), else "": other units see the decision, not why."""
    from labinov.ideas.visibility import reason_visible_to

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not idea.decision_reason or not reason_visible_to(user, idea):
        return ""
    return idea.decision_reason


@register.filter
def urusan_labels(values) -> list[str]:
    """The names of stored urusan codes (unknown codes shown as they are)."""
    from labinov.core.regulation import Urusan

    labels = dict(Urusan.choices)
    return [labels.get(v, v) for v in values or []]
