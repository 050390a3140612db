"""The back-office's site: an index grouped by what studio staff do (productions, breakdown, tasks
and review, people, settings, records) instead of by Django app, with the open productions and
their landing pages first. Link tables are edited inline on their owners, so the index leaves
them out (their pages still answer, for a link pasted from elsewhere).

`BackOfficeConfig` replaces `django.contrib.admin` in INSTALLED_APPS to make this the default site.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import reverse

# (title, models by label): the order of the index and of the side bar.
GROUPS = (
    (
        "Productions",
        (
            "productions.Project",
            "productions.Milestone",
            "productions.ScheduleItem",
            "productions.ProductionScheduleVersion",
            "files.Playlist",
            "files.PlaylistShareLink",
            "productions.ProductionScheduleVersionTaskLink",
            "budgets.Budget",
            "core.WebhookSubscription",
        ),
    ),
    (
        "Breakdown",
        (
            "shots.Episode",
            "shots.Sequence",
            "shots.Shot",
            "assets.Asset",
            "assets.Concept",
            "shots.Scene",
            "shots.Edit",
            "assets.EntityLink",
            "assets.AssetInstance",
            "assets.Entity",
        ),
    ),
    (
        "Tasks and review",
        (
            "tasks.Task",
            "tasks.Comment",
            "tasks.TimeSpent",
            "files.PreviewFile",
            "tasks.News",
            "tasks.Notification",
            "files.AttachmentFile",
            "files.WorkingFile",
            "files.OutputFile",
            "tasks.Chat",
            "tasks.ChatMessage",
        ),
    ),
    (
        "People",
        (
            "people.Person",
            "people.Department",
            "people.Studio",
            "people.DayOff",
            "people.Organisation",
            "budgets.SalaryScale",
        ),
    ),
    (
        "Settings",
        (
            "tasks.TaskType",
            "tasks.TaskStatus",
            "productions.ProjectStatus",
            "assets.AssetType",
            "assets.EntityType",
            "productions.ProjectTemplate",
            "productions.StatusAutomation",
            "productions.MetadataDescriptor",
            "productions.CustomAction",
            "people.Software",
            "people.HardwareItem",
            "files.FileStatus",
            "files.OutputType",
            "files.PreviewBackgroundFile",
            "people.SearchFilter",
            "people.SearchFilterGroup",
            "people.Plugin",
        ),
    ),
    (
        "Records",
        (
            "core.TrashItem",
            "core.TrashRow",
            "core.Job",
            "core.WebhookDelivery",
            "core.IdempotentRequest",
            "tasks.ApiEvent",
            "tasks.Subscription",
            "shots.EntityVersion",
            "people.LoginLog",
            "people.DesktopLoginLog",
            "people.AuthToken",
            "files.StoredFile",
            "files.BuildJob",
            "files.DataImportError",
        ),
    ),
)


GROUPED = {label for _, labels in GROUPS for label in labels}
LINK_SUFFIXES = ("Link", "Mention", "Acknowledgement", "Participant")
OWNED_ROWS = ("BudgetEntry", "PreviewFileStorageState")  # parts of a budget, of a preview


def is_link_table(model):
    """A table joining two others (team members, casting of instances, mentions...) or a part of
    another row: edited inline on the page of its owner."""
    name = model.__name__
    return model._meta.label not in GROUPED and (name.endswith(LINK_SUFFIXES) or name in OWNED_ROWS)


class BackOfficeSite(admin.AdminSite):
    site_header = "Kitsu back-office"
    site_title = "Kitsu back-office"
    index_title = "Production data"
    index_template = "kitsu_admin/index.html"
    # The side bar lists every model on every page (~40 ms a page): the grouped index does it once.
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        if app_label is not None:  # an app's own page: every model of it, link tables included
            return super().get_app_list(request, app_label)
        entries = {}
        for app in self._build_app_dict(request).values():
            for entry in app["models"]:
                entry["app_label"] = app["app_label"]
                entries[entry["model"]._meta.label] = entry
        groups, placed = [], set()
        for title, labels in GROUPS:
            models = [entries[label] for label in labels if label in entries]
            placed.update(labels)
            if models:
                groups.append(self.group(title, models))
        others = [
            entry
            for label, entry in sorted(entries.items())
            if label not in placed and not is_link_table(entry["model"])
        ]
        if others:
            groups.append(self.group("Other", others))
        return groups

    def group(self, title, models):
        slug = title.lower().replace(" ", "-")
        return {
            "name": title,
            "app_label": slug,
            "app_url": f"{reverse('admin:index', current_app=self.name)}#{slug}",
            "has_module_perms": True,
            "models": models,
        }

    def get_urls(self):
        from django.urls import path

        from kitsu_server.core.doctor.admin_views import health_view  # models are ready by now

        health = path("health/", self.admin_view(health_view(self)), name="health")
        return [health, *super().get_urls()]

    def index(self, request, extra_context=None):
        from kitsu_server.core.access import access_for  # models are ready by now
        from productions.admin_dashboard import open_productions

        extra_context = {**(extra_context or {}), "productions": open_productions(access_for(request))}
        return super().index(request, extra_context)


class BackOfficeConfig(AdminConfig):
    default_site = "kitsu_server.admin_site.BackOfficeSite"
