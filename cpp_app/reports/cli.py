"""`flask cpp report plan|update|annual|training … --out FILE` and `flask cpp report-jobs`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from flask import current_app
from sqlalchemy import select

from cpp_app.clock import today_local
from cpp_app.database import reading
from cpp_app.extensions import db
from cpp_app.reports import jobs, services
from cpp_app.reports.models import QueuedReport
from cpp_app.reports.pdf import html_to_pdf, render_page_then_release
from cpp_app.stations.models import Station
from cpp_app.stations.services import normalise_station_code

REPORTS = ("plan", "update", "annual", "training")


@click.command("report")
@click.argument("kind", type=click.Choice(REPORTS))
@click.option("--station", help="Station code (plan).")
@click.option("--id", "update_id", type=int, help="Update id (update).")
@click.option("--year", type=int, help="Year (annual; default this year).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the PDF.")
def report_command(kind: str, station: str | None, update_id: int | None, year: int | None,
                   out: Path) -> None:
    """Render a report to a PDF file (large reports belong here, not in a web request).

    It only reads, without the write lock, and holds no transaction while the PDF is made.
    """
    today = today_local()
    if QueuedReport.has_value(kind):
        pdf = jobs.report_pdf(kind, year, today)
    else:
        with reading(), current_app.test_request_context():
            template, context = _plan_report(kind, station, update_id)
            page = render_page_then_release(template, generated_on=today.isoformat(),
                                            **context)
        pdf = html_to_pdf(page)
    out.write_bytes(pdf)
    click.echo(f"Wrote {out} ({len(pdf):,} bytes).")


def _plan_report(kind: str, station: str | None, update_id: int | None) -> tuple[str, dict]:
    """The template and context of a station's plan or one of its updates."""
    if kind == "plan":
        found = db.session.scalar(select(Station).where(
            Station.code == normalise_station_code(station or "")))
        if found is None:
            raise click.ClickException("Give an existing station code with --station.")
        return "reports/plan.html", _or_fail(services.plan_context, found)
    if update_id is None:
        raise click.ClickException("Give the update's id with --id.")
    return "reports/update.html", _or_fail(services.update_context, update_id)


def _or_fail(builder: Callable[..., dict[str, Any]], *args: object) -> dict[str, Any]:
    try:
        return builder(*args)
    except LookupError as error:
        raise click.ClickException(str(error)) from error


@click.command("report-jobs")
@click.option("--time-limit", type=float, help="Seconds each report may take "
              "(default CPP_REPORT_TIME_LIMIT_SECONDS).")
def report_jobs_command(time_limit: float | None) -> None:
    """Prepare the report PDFs people asked for on the Reports page.

    The scheduler does this every few seconds.
    """
    summary = jobs.run_queued_reports(current_app._get_current_object(), time_limit)
    click.echo(f"Prepared {summary.done} report(s); {summary.failed} failed.")
