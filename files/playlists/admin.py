"""Back-office of playlist builds: each BuildJob with the progress and error of the job building
it, and an action cancelling builds (the row goes, the running job stops at its next clip).

Registered by files/admin.py."""

from django.contrib import admin

from files.playlists import builds
from kitsu_server.admin_base import KitsuModelAdmin


class PlaylistBuildJobAdmin(KitsuModelAdmin):
    list_display = ("playlist", "job_type", "status", "created_at", "ended_at")  # progress: on its page
    list_select_related = ("playlist", "playlist__project")
    list_filter = ("status", "job_type")
    autocomplete_fields = ("playlist",)
    readonly_fields = ("progress", "job_error")
    actions = ("cancel_builds",)

    @admin.display(description="Progress")
    def progress(self, build_job):
        job = builds.core_job(build_job.pk)
        if job is None:
            return "-"
        total = job.progress_total or 0
        return f"{job.state} {job.progress_done}/{total}" if total else job.state

    @admin.display(description="Job error")
    def job_error(self, build_job):
        job = builds.core_job(build_job.pk)
        return job.error if job is not None else ""

    @admin.action(description="Cancel the selected builds (their movies are removed)")
    def cancel_builds(self, request, queryset):
        count = 0
        for build_job in queryset.select_related("playlist"):
            builds.remove_build(build_job, request.user)
            count += 1
        self.message_user(request, f"{count} build(s) cancelled.")
