"""Pages where users create and revoke their own API tokens, and administrators see everyone's."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from cpp_app.api import services
from cpp_app.api.forms import TokenForm
from cpp_app.api.models import DEFAULT_TOKEN_DAYS, SCOPES, ApiToken
from cpp_app.extensions import db
from cpp_app.permissions import Action, permission_required
from cpp_app.viewhelpers import call_service, paginate, run_confirmed

blueprint = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")
admin_blueprint = Blueprint("admin_tokens", __name__, url_prefix="/admin/api-tokens")


@blueprint.route("", methods=["GET", "POST"])
@login_required
def token_list() -> ResponseReturnValue:
    """The user's tokens, and a form to create one (its secret is shown once, on this page)."""
    form = TokenForm()
    form.scopes.choices = [(scope, f"{label} ({scope})") for scope, label in SCOPES.items()
                           if scope in services.allowed_scopes(current_user)]
    created = None
    if form.validate_on_submit():
        _done, created = call_service(form, lambda: services.create_token(
            current_user, form.name.data or "", form.scopes.data or [],
            form.days.data or DEFAULT_TOKEN_DAYS))
    status = 400 if form.errors or form.form_errors else 200
    return render_template("api/tokens.html", form=form, secret=created[1] if created else None,
                           tokens=services.user_tokens(current_user.id)), status


@blueprint.route("/<int:token_id>/revoke", methods=["POST"])
@login_required
def token_revoke(token_id: int) -> ResponseReturnValue:
    """Revoke one of the user's own tokens."""
    token = db.get_or_404(ApiToken, token_id)
    if token.user_id != current_user.id:
        abort(403)
    return run_confirmed(lambda: services.revoke_token(token, acting_user=current_user),
                         success=f"Token “{token.name}” revoked.",
                         next_url=url_for("api_tokens.token_list"))


@admin_blueprint.route("")
@permission_required(Action.MANAGE_USERS)
def all_tokens() -> ResponseReturnValue:
    """Every user's tokens, newest first, each with a way to revoke it."""
    active_only = request.args.get("status") == "active"
    page = paginate(services.all_tokens_query(active_only=active_only))
    return render_template("api/all_tokens.html", page=page, active_only=active_only)


@admin_blueprint.route("/<int:token_id>/revoke", methods=["GET", "POST"])
@permission_required(Action.MANAGE_USERS)
def admin_revoke(token_id: int) -> ResponseReturnValue:
    """Confirm, then revoke any user's token."""
    token = db.get_or_404(ApiToken, token_id)
    if request.method == "POST":
        return run_confirmed(lambda: services.revoke_token(token, acting_user=current_user),
                             success=f"Token “{token.name}” of {token.user.email} revoked.",
                             next_url=url_for("admin_tokens.all_tokens"))
    return render_template("api/confirm_revoke.html", token=token)
