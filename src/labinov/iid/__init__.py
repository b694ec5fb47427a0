"""Indeks Inovasi Daerah (Kemendagri/BSKDN): rulesets as data, the scoring engine and simulation (issue 13)."""
