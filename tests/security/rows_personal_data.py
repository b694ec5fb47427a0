"""Permission-matrix rows of personal data (UU PDP 27/2022): one's own data, and anonymising a person
(see test_permission_matrix.py for the format)."""

from .test_permission_matrix import ADMIN, EVERYONE, P, _pk, _slug

ROWS: dict = {
    # everyone with an account reads and downloads their own data, and only their own
    "my_data": ("get", None, EVERYONE, "global"),
    "my_data_json": ("get", None, EVERYONE, "global"),
    # the confirmation page: organisers of the person's pemda and national admins (a person with an
    # account is then refused to organisers by the service, see tests/people/test_personal_data.py)
    "person_anonymise": ("get", _pk("person"), ADMIN, P),
    # anonymising an account (and its people records): national admins only
    "member_anonymise": ("get", lambda w, t: {**_slug(w, t), "pk": (w.membership if t == "own" else w.other_membership).pk},
                         {"national_admin"}, P),
}
