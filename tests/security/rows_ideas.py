"""Permission-matrix rows of rows_ideas (see test_permission_matrix.py for the format)."""

ROWS: dict = {}
