"""Training pages: the compliance dashboard, courses, records and imports with column mapping."""

from __future__ import annotations

import csv
import io
import secrets
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from cpp_app.choices import select_choices
from cpp_app.clock import today_local
from cpp_app.extensions import db
from cpp_app.forms import ConfirmForm
from cpp_app.importing.columns import map_columns
from cpp_app.importing.jobs import import_now_or_later
from cpp_app.importing.limits import FileTooLargeError, import_limits
from cpp_app.importing.models import ImportJob
from cpp_app.importing.pipeline import ImportFileError, ImportResult
from cpp_app.importing.readers import UnreadableFileError, open_table
from cpp_app.importing.services import spreadsheet_safe
from cpp_app.importing.uploads import UPLOAD_SUFFIXES, kept_upload, upload_folder
from cpp_app.permissions import Action, permission_required, require
from cpp_app.stations.models import Member
from cpp_app.stations.scoping import scoped_station_id, visible_stations
from cpp_app.training import compliance, services
from cpp_app.training.compliance import compliance_chart
from cpp_app.training.forms import CourseForm, RecordForm, TrainingUploadForm
from cpp_app.training.importing import TRAINING_FIELDS
from cpp_app.training.models import ColumnMapping, TrainingCourse
from cpp_app.viewhelpers import (
    call_service,
    csv_download,
    optional_int,
    page_number,
    paginate,
    submit_form,
)

blueprint = Blueprint("training", __name__, url_prefix="/training")

PENDING_UPLOAD = "training_upload"
PAGE_SIZE = 50


@blueprint.route("")
@permission_required(Action.VIEW_TRAINING)
def dashboard() -> str:
    """Compliance with the rule in force: percentages, who is short, who is due soon."""
    station_id = scoped_station_id()
    sort = request.args.get("sort", "hours_remaining")
    today, rule = today_local(), compliance.current_rule()
    frame = compliance.compliance_frame(rule, today, station_id)
    department, stations = compliance.summarise(frame, compliance.summary_label(station_id))
    short = compliance.short_members(frame, sort)
    page = page_number()
    pages = max((len(short) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    rows = short.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE].to_dict("records")
    return render_template(
        "training/dashboard.html", rule=rule, rule_text=rule.describe(today),
        department=department, stations=stations, short_rows=rows, short_total=len(short),
        chart=compliance_chart(stations),
        due_soon=compliance.due_soon(frame).head(100).to_dict("records"), page=page,
        pages=pages, sort=sort, sorts=list(compliance.SORTS), station_id=station_id,
        station_options=visible_stations(), today=today)


@blueprint.route("/short.csv")
@permission_required(Action.VIEW_TRAINING)
def export_short() -> Response:
    """Members short of the hours, as CSV."""
    today, rule = today_local(), compliance.current_rule()
    frame = compliance.compliance_frame(rule, today, scoped_station_id())
    short = compliance.short_members(frame, request.args.get("sort", "hours_remaining"))
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(["shield_number", "last_name", "first_name", "station", "hours_done",
                     "hours_remaining"])
    for row in short.itertuples():
        writer.writerow([spreadsheet_safe(v) for v in (
            row.shield_number, row.last_name, row.first_name, row.station_code or "",
            row.hours_done, row.hours_remaining)])
    return csv_download(output.getvalue(), f"training-short-{today}.csv")


@blueprint.route("/members/<int:member_id>")
@permission_required(Action.VIEW_TRAINING)
def member_training(member_id: int) -> str:
    """A member's training history and counting hours this period."""
    member = db.get_or_404(Member, member_id)
    require(Action.VIEW_TRAINING, member.station_id or -1)
    today, rule = today_local(), compliance.current_rule()
    return render_template(
        "training/member.html", member=member, records=services.member_records(member.id),
        hours=compliance.member_hours(member.id, rule, today), rule=rule,
        rule_text=rule.describe(today))


@blueprint.route("/courses")
@permission_required(Action.VIEW_TRAINING)
def course_list() -> str:
    """Courses, and whether each counts toward the requirement."""
    page = paginate(services.course_query(request.args.get("q", "")[:100]))
    return render_template("training/courses.html", page=page, search=request.args.get("q", ""))


@blueprint.route("/courses/new", methods=["GET", "POST"])
@blueprint.route("/courses/<int:course_id>", methods=["GET", "POST"])
@permission_required(Action.MANAGE_TRAINING)
def course_edit(course_id: int | None = None) -> ResponseReturnValue:
    """Add a course, or change one (for example to make an imported course count)."""
    course = db.get_or_404(TrainingCourse, course_id) if course_id else None
    form = CourseForm(obj=course)
    done = submit_form(form, lambda: services.save_course(_course_details(form), course),
                       success="Course saved.", next_url=url_for("training.course_list"))
    return done or render_template("training/course_form.html", form=form, course=course)


@blueprint.route("/records/new", methods=["GET", "POST"])
@permission_required(Action.MANAGE_TRAINING)
def record_new() -> ResponseReturnValue:
    """Record a course for one member or a whole class roster."""
    form = RecordForm()
    form.course_id.choices = select_choices(
        (str(c.id), c.label) for c in db.session.scalars(services.course_query())
        if c.active)
    if request.method == "GET":
        form.completed_on.data = today_local()
        form.shields.data = request.args.get("shield", "")
    done = submit_form(form, lambda: _record_class(form), success=_recorded_message,
                       next_url=url_for("training.dashboard"))
    return done or render_template("training/record_form.html", form=form)


@blueprint.route("/import", methods=["GET", "POST"])
@permission_required(Action.MANAGE_TRAINING)
def import_upload() -> ResponseReturnValue:
    """Step 1: upload the export and name its source system."""
    form = TrainingUploadForm()
    token = secrets.token_hex(16)
    done = submit_form(form, lambda: _keep_pending_upload(form, token), success="",
                       next_url=url_for("training.import_mapping"))
    if done:
        return done
    return render_template("training/import_upload.html", form=form,
                           mappings=services.all_mappings()), (400 if form.errors else 200)


@blueprint.route("/import/mapping", methods=["GET", "POST"])
@permission_required(Action.MANAGE_TRAINING)
def import_mapping() -> ResponseReturnValue:
    """Step 2: map the file's columns to ours (remembered per source), then import."""
    pending = session.get(PENDING_UPLOAD)
    if not pending:
        flash("Upload a training export first.", "info")
        return redirect(url_for("training.import_upload"))
    path = _upload_path(pending["token"], pending["suffix"])
    headers, problem = _pending_headers(path)
    if problem:
        path.unlink(missing_ok=True)
        session.pop(PENDING_UPLOAD, None)
        flash(*problem)
        return redirect(url_for("training.import_upload"))
    courses = list(db.session.scalars(services.course_query()))
    if request.method == "POST":
        return _run_mapped_import(pending, path, headers, courses)
    remembered = services.mapping_named(pending["source"])
    return render_template("training/import_mapping.html", pending=pending, headers=headers,
                           mapping=_initial_mapping(headers, remembered), fields=TRAINING_FIELDS,
                           courses=courses, remembered=remembered, result=None,
                           default_course_id=remembered.default_course_id if remembered
                           else None)


def _run_mapped_import(pending: dict, path: Path, headers: list[str],
                       courses: list[TrainingCourse]) -> ResponseReturnValue:
    """Import the pending file with the posted mapping; the result page, or the form again."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    mapping = _posted_mapping(headers)
    default_course_id = optional_int(request.form.get("default_course_id"))
    done, result = call_service(
        form, lambda: _import_pending(pending, path, mapping, default_course_id))
    if not done:
        return render_template("training/import_mapping.html", pending=pending, headers=headers,
                               mapping=mapping, fields=TRAINING_FIELDS, courses=courses,
                               default_course_id=default_course_id, remembered=None,
                               result=None, error=" ".join(form.form_errors)), 400
    services.save_mapping(pending["source"], mapping, default_course_id)
    if isinstance(result, ImportJob):  # a large file: imported outside the request
        path.unlink(missing_ok=True)
        session.pop(PENDING_UPLOAD, None)
        return redirect(url_for("importing.job_detail", job_id=result.id), code=303)
    if not result.batch.dry_run:
        path.unlink(missing_ok=True)
        session.pop(PENDING_UPLOAD, None)
    return render_template("training/import_result.html", result=result,
                           new_courses=result.note("new_courses", []), pending=pending)


def _keep_pending_upload(form: TrainingUploadForm, token: str) -> None:
    """Keep the uploaded export until its columns are mapped, and remember it in the session."""
    saved = kept_upload(form.file.data, _upload_folder(), f"{current_user.id}-{token}")
    session[PENDING_UPLOAD] = {"token": token, "suffix": saved.path.suffix,
                               "filename": saved.filename,
                               "source": form.source_name.data.strip()}


def _import_pending(pending: dict, path: Path, mapping: dict[str, str],
                    default_course_id: int | None) -> ImportResult | ImportJob:
    """Run the pending file through the one import entry now, or queue it when it is large.

    ImportFileError if it cannot go.
    """
    chosen = [field for field in mapping.values() if field]
    if len(chosen) != len(set(chosen)):
        raise ImportFileError("Each of our fields can take only one of the file's columns.")
    return import_now_or_later(
        "training", path, pending["filename"], dry_run=bool(request.form.get("dry_run")),
        options={"today": today_local(), "default_course_id": default_course_id},
        column_mapping=mapping, actor=current_user._get_current_object())


def _posted_mapping(headers: list[str]) -> dict[str, str]:
    """Their header → our field, as chosen on the form ("" for a column chosen to be ignored)."""
    field_names = {field.name for field in TRAINING_FIELDS}
    chosen = {header: request.form.get(f"map-{index}", "")
              for index, header in enumerate(headers)}
    return {header: field if field in field_names else "" for header, field in chosen.items()}


def _pending_headers(path: Path) -> tuple[list[str], tuple[str, str] | None]:
    """The waiting file's headers, or the message (and its category) saying why there are none."""
    if not path.exists():
        return [], ("The uploaded file is no longer available; please upload it again.",
                    "warning")
    try:
        return open_table(path, TRAINING_FIELDS, import_limits()).headers, None
    except (UnreadableFileError, FileTooLargeError) as error:
        return [], (str(error), "danger")


def _course_details(form: CourseForm) -> services.CourseDetails:
    return services.CourseDetails(
        title=form.title.data, provider=form.provider.data or "", code=form.code.data or "",
        delivery=form.delivery.data,
        hours=float(form.hours.data) if form.hours.data is not None else None,
        counts_toward_requirement=form.counts_toward_requirement.data, active=form.active.data)


def _record_class(form: RecordForm) -> tuple[int, list[str]]:
    """Record the chosen course for every shield number on the form."""
    course = db.get_or_404(TrainingCourse, int(form.course_id.data))
    shields = form.shields.data.replace(",", "\n").splitlines()
    hours = float(form.hours.data) if form.hours.data is not None else None
    return services.record_training(course, form.completed_on.data, shields, hours,
                                    today_local())


def _recorded_message(outcome: tuple[int, list[str]]) -> str:
    added, skipped = outcome
    note = f" Already recorded: {', '.join(skipped)}." if skipped else ""
    return f"{added} training record{'' if added == 1 else 's'} added.{note}"


def _initial_mapping(headers: list[str], remembered: ColumnMapping | None) -> dict[str, str]:
    """Their header → our field: the remembered mapping, else names we recognise."""
    if remembered is not None:
        return {h: f for h, f in remembered.mapping.items() if h in headers}
    return {header: field for field, header in map_columns(headers, TRAINING_FIELDS).items()}


def _upload_folder() -> Path:
    """Where uploaded exports wait between the two steps."""
    return upload_folder("training")


def _upload_path(token: str, suffix: str) -> Path:
    """The pending upload's file, from what the session remembers of it."""
    if not token.isalnum() or suffix not in UPLOAD_SUFFIXES:
        abort(400)
    return _upload_folder() / f"{current_user.id}-{token}{suffix}"
