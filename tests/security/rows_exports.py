"""Permission-matrix rows of the exports of a program's action plans (see test_permission_matrix.py
for the format): the same people as the plan overview (rows_timeline.PLAN_OVERSEERS). The fixture's
programs have no plan, so the booklet comes back to the overview with a message (a redirect: "ok")."""

from .rows_timeline import PLAN_OVERSEERS, _program
from .test_permission_matrix import P

ROWS: dict = {
    "plans_export_xlsx": ("get", _program, PLAN_OVERSEERS, P, "design"),
    "plans_export_pdf": ("get", _program, PLAN_OVERSEERS, P, "design"),
}
