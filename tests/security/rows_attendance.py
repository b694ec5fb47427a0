"""Permission-matrix rows of the printable attendance sheet (daftar hadir): the same people as the
attendance page, since it lists NIPs and is printed to be signed (see test_permission_matrix.py)."""

from .test_permission_matrix import ATTENDANCE, P, _pk

ROWS: dict = {
    "event_attendance_sheet": ("get", _pk("event"), ATTENDANCE, P),
}
