"""Pages and API endpoints read through selectors and write through services, never a model manager.

Selectors are where every query is scoped to what the actor may see; a view or endpoint that
queried a model itself could skip that scope. This test keeps the door shut.
"""

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "labinov"
THIN = sorted(
    [p for p in SRC.glob("*/views.py")] + list(SRC.glob("*/*_views.py")) + list(SRC.glob("api/endpoints/*.py")) + [SRC / "api" / "api.py"]
)
MANAGER = re.compile(r"\.(objects|_default_manager|_base_manager)\.")


def test_views_and_endpoints_do_not_query_models_directly():
    assert len(THIN) >= 10, "the glob should find the view and endpoint modules"
    offenders = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in THIN
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if MANAGER.search(line)
    ]
    assert not offenders, "query through a selector instead:\n" + "\n".join(offenders)
