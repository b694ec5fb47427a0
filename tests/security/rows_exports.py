"""Permission-matrix rows of rows_exports (see test_permission_matrix.py for the format)."""

ROWS: dict = {}
