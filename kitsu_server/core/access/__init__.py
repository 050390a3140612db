"""Who may do what: the role of a person, globally and on each project.

A person has a global `role` (admin, manager, supervisor, user, client,
vendor). On a project they belong to (its team), the team link may carry a
project role that overrides the global one, except that "admin" is global
only. Admins reach every project; anyone else reaches the projects whose
team they are in. `Access` computes this once per request and caches the
team roles it reads, so a view checks as often as it likes for one query.
"""

from rest_framework.exceptions import PermissionDenied

from kitsu_server.api.params import uuid_or_none
from kitsu_server.core.access import comments as comment_rules
from kitsu_server.core.access import entities as entity_rules
from kitsu_server.core.access import files as file_rules
from kitsu_server.core.access import people as people_rules
from kitsu_server.core.access import projects as project_rules
from kitsu_server.core.access import scopes
from kitsu_server.core.access import tasks as task_rules
from kitsu_server.core.access import trash as trash_rules
from kitsu_server.core.access.roles import MANAGER_ROLES, SUPERVISOR_ROLES
from kitsu_server.core.access.trace import instrument_access, note
from productions.models import ProjectPersonLink


class Access:
    def __init__(self, person):
        self.person = person
        self.role = person.role
        self._team_roles = None  # {project_id: project role or None}

    @property
    def is_admin(self):
        return self.role == "admin"

    def _memberships(self):
        if self._team_roles is None:
            self._team_roles = dict(
                ProjectPersonLink.objects.filter(person_id=self.person.pk).values_list("project_id", "role")
            )
        return self._team_roles

    def member_project_ids(self):
        return set(self._memberships())

    def is_member(self, project_id):
        """In the project's team (a team link)."""
        return project_id is not None and uuid_or_none(project_id) in self._memberships()

    def project_role(self, project_id):
        """The effective role on a project: admin stays admin, else the team role, else the global one."""
        if self.is_admin:
            return "admin"
        role = self._memberships().get(uuid_or_none(project_id))
        if role not in (None, "admin"):
            note(source="team link")
            return role
        note(source="global role")
        return self.role

    def projects_by_role(self):
        """{effective role: [project ids]} over the projects of the person's team: what list rules
        split on, since one person may be a client on one production and an artist on another."""
        by_role = {}
        for project_id in self._memberships():
            by_role.setdefault(self.project_role(project_id), []).append(project_id)
        return by_role

    def has_project_access(self, project_id):
        """Admins reach every project; anyone else the projects whose team they are in."""
        return self.is_admin or self.is_member(project_id)

    def check_project_access(self, project_id):
        """The project's readers: admins and its team; returns the role held there."""
        if not self.has_project_access(project_id):
            raise PermissionDenied
        return self.project_role(project_id)

    def check_role(self, roles, project_id=None):
        """Raise unless the effective role (on the project when given) is one of `roles`."""
        role = self.project_role(project_id) if project_id is not None else self.role
        if role not in roles:
            raise PermissionDenied
        return role

    def check_admin(self):
        """Admins only."""
        return self.check_role(("admin",))

    def check_manager(self, project_id=None):
        """Admins and managers (of the project when given: its team's, by the role held there)."""
        if project_id is not None:
            self.check_project_access(project_id)
        return self.check_role(MANAGER_ROLES, project_id)

    def check_supervisor(self, project_id=None):
        """Admins, managers and supervisors (of the project when given, by the role held there)."""
        if project_id is not None:
            self.check_project_access(project_id)
        return self.check_role(SUPERVISOR_ROLES, project_id)

    # --- the rules of each domain (one module each), as methods: access.check_task_access(task) ---
    # scopes
    reachable_entities = scopes.reachable_entities
    # entities
    check_entity_access = entity_rules.check_entity_access
    check_project_and_entity_access = entity_rules.check_project_and_entity_access
    visible_entities = entity_rules.visible_entities
    vendor_hidden_custom_fields = entity_rules.vendor_hidden_custom_fields
    check_entity_delete = entity_rules.check_entity_delete
    check_metadata_department_access = entity_rules.check_metadata_department_access
    vendor_departments = entity_rules.vendor_departments
    vendor_assignee = entity_rules.vendor_assignee
    reads_as_client = entity_rules.reads_as_client
    check_not_vendor = entity_rules.check_not_vendor
    check_not_client = entity_rules.check_not_client
    check_studio_role = entity_rules.check_studio_role
    check_team_entity_read = entity_rules.check_team_entity_read
    check_concept_read = entity_rules.check_concept_read
    check_concept_team = entity_rules.check_concept_team
    check_team_but_clients = entity_rules.check_team_but_clients
    check_episode_stats_read = entity_rules.check_episode_stats_read
    check_person_quotas_read = entity_rules.check_person_quotas_read
    check_entities_delete = entity_rules.check_entities_delete
    # tasks
    visible_tasks = task_rules.visible_tasks
    check_task_access = task_rules.check_task_access
    check_task_action_access = task_rules.check_task_action_access
    check_supervisor_task_access = task_rules.check_supervisor_task_access
    check_task_status_access = task_rules.check_task_status_access
    check_time_spent_access = task_rules.check_time_spent_access
    may_assign = task_rules.may_assign
    may_unassign = task_rules.may_unassign
    check_assign_access = task_rules.check_assign_access
    check_assignment = task_rules.check_assignment
    assignable_tasks = task_rules.assignable_tasks
    unassignable_tasks = task_rules.unassignable_tasks
    updatable_tasks = task_rules.updatable_tasks
    check_main_preview_access = task_rules.check_main_preview_access
    check_event_log_access = task_rules.check_event_log_access
    check_studio_team = task_rules.check_studio_team
    check_person_tasks_read = task_rules.check_person_tasks_read
    # comments
    visible_comments = comment_rules.visible_comments
    visible_news = comment_rules.visible_news
    check_project_news_read = comment_rules.check_project_news_read
    check_news_entry_read = comment_rules.check_news_entry_read
    visible_attachment_files = comment_rules.visible_attachment_files
    check_comment_access = comment_rules.check_comment_access
    check_comment_update = comment_rules.check_comment_update
    check_comment_delete = comment_rules.check_comment_delete
    check_task_mention_access = comment_rules.check_task_mention_access
    check_comment_post_access = comment_rules.check_comment_post_access
    check_reply_access = comment_rules.check_reply_access
    check_attachment_write = comment_rules.check_attachment_write
    check_attachment_read = comment_rules.check_attachment_read
    batch_commentable_task_ids = comment_rules.batch_commentable_task_ids
    may_comment_for_others = comment_rules.may_comment_for_others
    check_chat_message_delete = comment_rules.check_chat_message_delete
    # files
    block_vendor = file_rules.block_vendor
    visible_preview_files = file_rules.visible_preview_files
    check_preview_file_read = file_rules.check_preview_file_read
    check_preview_media_read = file_rules.check_preview_media_read
    check_annotation_access = file_rules.check_annotation_access
    check_preview_file_update = file_rules.check_preview_file_update
    check_preview_file_delete = file_rules.check_preview_file_delete
    visible_working_files = file_rules.visible_working_files
    visible_output_files = file_rules.visible_output_files
    check_output_file_read = file_rules.check_output_file_read
    check_output_file_update = file_rules.check_output_file_update
    check_working_file_task = file_rules.check_working_file_task
    check_attachment_file_read = file_rules.check_attachment_file_read
    visible_playlists = file_rules.visible_playlists
    check_playlist_read = file_rules.check_playlist_read
    check_playlist_update = file_rules.check_playlist_update
    check_playlist_access = file_rules.check_playlist_access
    # projects
    check_project_reader = project_rules.check_project_reader
    check_schedule_list = project_rules.check_schedule_list
    check_supervisor_project_task_type_access = project_rules.check_supervisor_project_task_type_access
    check_all_departments_access = project_rules.check_all_departments_access
    descriptor_narrowing = project_rules.descriptor_narrowing
    visible_descriptors = project_rules.visible_descriptors
    visible_project_descriptors = project_rules.visible_project_descriptors
    # people
    visible_persons = people_rules.visible_persons
    others_time_project_ids = people_rules.others_time_project_ids
    visible_time_spents = people_rules.visible_time_spents
    check_self_or_admin = people_rules.check_self_or_admin
    check_desktop_login_read = people_rules.check_desktop_login_read
    check_quota_access = people_rules.check_quota_access
    visible_search_filters = people_rules.visible_search_filters
    own_search_filters = people_rules.own_search_filters
    may_share_search_filter = people_rules.may_share_search_filter
    day_off_read_level = people_rules.day_off_read_level
    day_off_readers = people_rules.day_off_readers
    person_time_scope = people_rules.person_time_scope
    tasks_to_check_scope = people_rules.tasks_to_check_scope
    # trash
    visible_trash_items = trash_rules.visible_trash_items
    check_trash_read = trash_rules.check_trash_read
    check_trash_restore = trash_rules.check_trash_restore
    check_trash_purge = trash_rules.check_trash_purge


# While tracing (the permission explainer), every rule above records what it looked at and decided.
instrument_access(Access)


def access_for(request):
    """The request's `Access`, built on first use."""
    access = getattr(request, "_kitsu_access", None)
    if access is None or access.person is not request.user:
        access = Access(request.user)
        request._kitsu_access = access
    return access
