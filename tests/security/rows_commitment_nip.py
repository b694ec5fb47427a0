"""Permission-matrix row of the missing-NIP fix on the commitment pages (issue 9.3): the organiser and the
national admin, who manage the commitment documents, while the stage allows preparing them. The post is
sent empty: an allowed role gets a redirect with a message; nothing changes."""

from .rows_delivery import STAGE, _prog
from .test_permission_matrix import ADMIN, P

ROWS = {
    "commitment_nip": ("post", _prog, ADMIN, P, STAGE),
}
