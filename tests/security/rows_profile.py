"""Permission-matrix rows of rows_profile (see test_permission_matrix.py for the format)."""

ROWS: dict = {}
