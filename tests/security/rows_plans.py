"""Permission-matrix rows of rows_plans (see test_permission_matrix.py for the format)."""

ROWS: dict = {}
