"""`{% my_innovations program %}`: on a program's page, the requesting unit member's innovations in
that program with the next action on each (innovations/next_actions.py). Nothing for other roles."""

from django import template

from labinov.innovations.next_actions import unit_innovations

register = template.Library()


@register.inclusion_tag("innovations/_my_innovations.html", takes_context=True)
def my_innovations(context, program):
    request = context.get("request")
    user = getattr(request, "user", None)
    innovations = unit_innovations(actor=user, program=program) if user is not None and user.is_authenticated else []
    return {"innovations": innovations, "show_program": False}
