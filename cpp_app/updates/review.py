"""What an administrator sees before approving or publishing an update."""

from __future__ import annotations

from cpp_app.public.services import PublicUpdate, frozen_figures, is_public_change
from cpp_app.updates.models import PlanUpdate


def public_preview(update: PlanUpdate) -> PublicUpdate:
    """The update as the station's public page will show it, whatever its status now."""
    return PublicUpdate(update, [change for change in update.changes
                                 if is_public_change(change)], frozen_figures(update))
