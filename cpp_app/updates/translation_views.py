"""Staff pages where commanders and administrators enter translations of public plan text.

One page per plan version (summary and priorities) and one per update ("you said, we did").
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from cpp_app.errors import ServiceError
from cpp_app.forms import translations_form
from cpp_app.permissions import Action, permission_required, require
from cpp_app.plans.models import Plan
from cpp_app.plans.services import plan_with_items
from cpp_app.updates.models import PlanUpdate
from cpp_app.updates.services import update_with_elements
from cpp_app.updates.translations import (
    TranslatableText,
    checked_language,
    plan_texts,
    save_translations,
    translation_languages,
    update_texts,
)
from cpp_app.viewhelpers import submit_form

blueprint = Blueprint("translations", __name__)


@blueprint.route("/plans/<int:plan_id>/translations", methods=["GET", "POST"])
@permission_required(Action.EDIT_PLANS)
def plan_translations(plan_id: int) -> ResponseReturnValue:
    """Translations of a plan version's summary and priorities into one language."""
    plan = plan_with_items(plan_id) or abort(404)
    require(Action.EDIT_PLANS, plan.station_id)
    back = url_for("plans.station_plan", station_id=plan.station_id)
    return _translations_page(plan, plan_texts, plan.station_id,
                              f"{plan.station.name}: plan version {plan.version}", back)


@blueprint.route("/updates/<int:update_id>/translations", methods=["GET", "POST"])
@permission_required(Action.WRITE_UPDATES)
def update_translations(update_id: int) -> ResponseReturnValue:
    """Translations of an update's "you said, we did" entries into one language."""
    update = update_with_elements(update_id) or abort(404)
    require(Action.WRITE_UPDATES, update.station_id)
    back = url_for("updates.update_detail", update_id=update.id)
    return _translations_page(update, update_texts, update.station_id,
                              f"{update.station.name}: update due {update.due_on.isoformat()}",
                              back)


def _translations_page(owner: Plan | PlanUpdate,
                       texts_of: Callable[[object, str], list[TranslatableText]],
                       station_id: int, subject: str, back: str) -> ResponseReturnValue:
    try:
        language = checked_language(request.values.get("language"))
    except ServiceError:
        abort(404)
    texts = texts_of(owner, language)
    form = translations_form([t.key for t in texts], {t.key: t.current for t in texts})
    here = url_for(request.endpoint, **request.view_args, language=language)
    done = submit_form(form, lambda: save_translations(texts, language, request.form,
                                                       station_id),
                       success="Translations saved.", next_url=here)
    return done or render_template(
        "updates/translations.html", form=form, texts=texts, language=language,
        languages=translation_languages(), subject=subject, back=back)
