"""Signals of the innovations app, for apps that build on it without it knowing them.

`plan_approved` is sent inside the approval's transaction, after a version of an action plan is
approved by the unit head (frozen). Deliver carries the monitoring progress over to it.
"""

from django.dispatch import Signal

plan_approved = Signal()  # sender=ActionPlan, plan=<the approved version>
