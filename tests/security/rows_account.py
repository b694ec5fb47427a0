"""Permission-matrix rows of the account pages (password change, API tokens) and of unlocking
accounts locked out of log-in (see test_permission_matrix.py for the format)."""

from .test_permission_matrix import ADMIN, EVERYONE, P, _slug


def _lock(w, t):
    """A lock in force on an e-mail address (the national page lists and lifts it)."""
    import datetime

    from django.utils import timezone

    from labinov.people.models import AuthThrottle

    lock = AuthThrottle.objects.create(scope="login_account", key="target@salatiga.test", count=10,
                                       locked_until=timezone.now() + datetime.timedelta(minutes=15))
    return {"pk": lock.pk}


ROWS: dict = {
    "password_change": ("get", None, EVERYONE, "global"),
    "password_change_done": ("get", None, EVERYONE, "global"),
    # the page lists and makes one's own tokens only; revoking someone else's token id changes nothing
    "api_token_list": ("get", None, EVERYONE, "global"),
    "api_token_revoke": ("post", None, EVERYONE, "global"),
    # an organiser unlocks the members of their own pemda; a national admin anyone
    "member_unlock": ("post", lambda w, t: {**_slug(w, t), "pk": (w.membership if t == "own" else w.other_membership).pk}, ADMIN, P),
    "lock_list": ("get", None, {"national_admin"}, "global"),
    "lock_release": ("post", _lock, {"national_admin"}, "global"),
}
