"""API permission-matrix rows of the ideas endpoints (see test_api_permission_matrix.py)."""

API_ROWS: dict = {}
