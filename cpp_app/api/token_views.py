"""Pages where users create and revoke their own API tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cpp_app.api import services
from cpp_app.api.models import SCOPES, ApiToken
from cpp_app.extensions import db
from cpp_app.forms import ConfirmForm

blueprint = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")


@blueprint.route("", methods=["GET", "POST"])
@login_required
def token_list():
    """The user's tokens, and a form to create one (its secret is shown once)."""
    form, secret, status = ConfirmForm(), None, 200
    if form.validate_on_submit():
        try:
            _token, secret = services.create_token(current_user, request.form.get("name", ""),
                                                   request.form.getlist("scopes"))
        except services.ApiError as error:
            db.session.rollback()
            flash(error.message, "danger")
            status = 400
    return render_template(
        "api/tokens.html", form=form, secret=secret, tokens=services.user_tokens(current_user.id),
        scopes={k: v for k, v in SCOPES.items() if k in services.allowed_scopes(current_user)},
    ), status


@blueprint.route("/<int:token_id>/revoke", methods=["POST"])
@login_required
def token_revoke(token_id: int):
    """Revoke one of the user's own tokens."""
    token = db.get_or_404(ApiToken, token_id)
    if token.user_id != current_user.id:
        abort(403)
    if ConfirmForm().validate_on_submit() and token.active:
        services.revoke_token(token)
        flash(f"Token “{token.name}” revoked.", "success")
    return redirect(url_for("api_tokens.token_list"))
