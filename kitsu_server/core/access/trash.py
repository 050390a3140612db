"""Who may see, restore and purge the trash (an extension: the reference has none).

Admins everything. A production's managers list and restore the items of the productions they
manage, a deleted production aside (its team is gone with it; an admin restores it). Purging
is for admins. Anyone else is refused (403), a supervisor, an artist, a client or a vendor.
"""

from rest_framework.exceptions import PermissionDenied

from kitsu_server.core.trash_models import TrashItem

PROJECT_MODEL = "productions.project"


def managed_project_ids(access):
    return {pk for pk in access.member_project_ids() if access.project_role(pk) == "manager"}


def visible_trash_items(access, queryset=None):
    """The items a person may list (403 for those who may list none)."""
    queryset = TrashItem.objects.all() if queryset is None else queryset
    if access.is_admin:
        return queryset
    managed = managed_project_ids(access)
    if not managed:
        raise PermissionDenied
    return queryset.filter(project_id__in=managed).exclude(model=PROJECT_MODEL)


def check_trash_read(access, item):
    if access.is_admin:
        return
    if item.model == PROJECT_MODEL or item.project_id not in managed_project_ids(access):
        raise PermissionDenied


check_trash_restore = check_trash_read


def check_trash_purge(access, item=None):
    access.check_admin()
