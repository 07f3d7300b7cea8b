"""The history of import batches with their rejected rows, and what upload pages share."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from cpp_app.extensions import db
from cpp_app.importing import jobs, services
from cpp_app.importing.kinds import import_kind_labels, import_kinds
from cpp_app.importing.models import ImportBatch, ImportJob
from cpp_app.permissions import Action, permission_required
from cpp_app.viewhelpers import csv_download, paginate

blueprint = Blueprint("importing", __name__, url_prefix="/imports")


@blueprint.route("")
@permission_required(Action.VIEW_IMPORTS)
def batch_list() -> ResponseReturnValue:
    """Every import run, newest first."""
    kind = request.args.get("kind", "")
    page = paginate(services.batch_query(kind).options(selectinload(ImportBatch.user)))
    return render_template("importing/batch_list.html", page=page, kind=kind,
                           kinds=sorted(import_kinds()), kind_labels=import_kind_labels(),
                           upload_kinds=[k for k in import_kinds().values() if k.upload_endpoint])


@blueprint.route("/<int:batch_id>")
@login_required
def batch_detail(batch_id: int) -> ResponseReturnValue:
    """One import run: its counts and its rejected rows."""
    batch = _visible_batch(batch_id)
    rejects = paginate(services.reject_query(batch))
    return render_template("importing/batch_detail.html", batch=batch, rejects=rejects,
                           kind_labels=import_kind_labels())


@blueprint.route("/<int:batch_id>/rejects.csv")
@login_required
def batch_rejects_csv(batch_id: int) -> Response:
    """The rejected rows as a CSV file to fix and import again."""
    batch = _visible_batch(batch_id)
    return csv_download(services.rejects_csv(batch), f"import-{batch.id}-rejects.csv")


@blueprint.route("/queued/<int:job_id>")
@login_required
def job_detail(job_id: int) -> ResponseReturnValue:
    """A queued import: waiting, running, or its result once done."""
    job = db.get_or_404(ImportJob, job_id)
    if not jobs.may_view_job(current_user, job):
        abort(403)
    kind = import_kinds().get(job.kind)
    return render_template("importing/job_detail.html", job=job, kind=kind)


def _visible_batch(batch_id: int) -> ImportBatch:
    """The batch, if the current user may see it (403 otherwise)."""
    batch = db.get_or_404(ImportBatch, batch_id)
    if not services.may_view_batch(current_user, batch):
        abort(403)
    return batch
