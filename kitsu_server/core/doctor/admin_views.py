"""The back-office's "Health checks" page (admins only): the doctor's checks with what their last
run found, a button running them all (a `doctor.run` job: eager without a worker, its progress on
the page otherwise) and a "Fix" button per fixable check that found something (POST, CSRF)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kitsu_server.core.doctor.jobs import last_run, run_doctor
from kitsu_server.core.doctor.registry import load_checks


def health_rows(run):
    """A row per check: its description, and what the last run found (when it ran it)."""
    found = {}
    if run is not None and run.result:
        found = {finding["name"]: finding for finding in run.result.get("checks", ())}
    return [{**check.describe(), "finding": found.get(name)} for name, check in load_checks().items()]


def health_view(site):
    @require_http_methods(["GET", "POST"])
    def health(request):
        if not request.user.is_superuser:  # managers and supervisors enter the back-office, not here
            raise PermissionDenied
        if request.method == "POST":
            return start(request)
        run = last_run()
        context = {
            **site.each_context(request),
            "title": "Health checks",
            "run": run,
            "rows": health_rows(run),
            "fixed": (run.result or {}).get("fixed", []) if run is not None else [],
        }
        return TemplateResponse(request, "kitsu_admin/health.html", context)

    return health


def start(request):
    checks = load_checks()
    name = request.POST.get("fix")
    if name is not None:
        if name not in checks or not checks[name].fixable:
            messages.error(request, f"No fixable check named {name!r}.")
            return HttpResponseRedirect(reverse("admin:health"))
        row = run_doctor.enqueue(created_by=request.user, checks=[name], fix=True)
    else:
        row = run_doctor.enqueue(created_by=request.user)
    row.refresh_from_db()  # without a worker (no Redis), it ran when enqueued
    if row.state == "failed":
        messages.error(request, f"The health checks failed: {row.error}")
    elif row.state == "succeeded":
        for repair in row.result.get("fixed", []):
            messages.success(request, f"{repair['name']}: {repair['done']}.")
        problems = row.result.get("problems", 0)
        messages.info(request, f"{problems} problems found." if problems else "No problem found.")
    else:
        messages.info(request, "The health checks are running; this page shows their progress.")
    return HttpResponseRedirect(reverse("admin:health"))
