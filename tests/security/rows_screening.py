"""Permission-matrix rows of rows_screening (see test_permission_matrix.py for the format)."""

ROWS: dict = {}
