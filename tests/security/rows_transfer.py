"""Permission-matrix rows of rows_transfer (see test_permission_matrix.py for the format)."""

ROWS: dict = {}
