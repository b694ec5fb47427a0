from django import template

register = template.Library()


@register.simple_tag
def locked_emails(memberships):
    """The e-mails (lower case) of these memberships' accounts that are locked out of log-in now:
    one query for the whole page, so the member list's unlock buttons cost no query per row."""
    from labinov.people.throttle import locked_accounts

    return locked_accounts(emails=[m.user.email for m in memberships])
