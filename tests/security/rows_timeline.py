"""Permission-matrix rows of rows_timeline (see test_permission_matrix.py for the format)."""

ROWS: dict = {}
