"""The `/data/...` routes of this app: one policy per model (see kitsu_server.core.data)."""

from assets.models import Entity
from files.models import (
    AttachmentFile,
    FileStatus,
    OutputFile,
    OutputType,
    Playlist,
    PreviewBackgroundFile,
    PreviewFile,
    WorkingFile,
)
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.params import is_uuid, parse_bool, parse_uuid
from kitsu_server.core import deletion
from kitsu_server.core.access.tasks import check_task_access, check_task_action_access
from kitsu_server.core.data.policies import CrudPolicy, ReadableByAllPolicy, register
from kitsu_server.core.events import record_event


@register
class PreviewFilesPolicy(CrudPolicy):
    """Lists: previews of the open projects of the person's team (vendors: of their tasks). Read:
    project access (vendors: their tasks). Update: project managers, assignees, department
    supervisors; a main preview keeps its revision unique in its task. Delete: project managers."""

    model = PreviewFile
    path = "preview-files"
    custom_filters = ("project_id",)  # no column: the project of their task

    def custom_filter(self, queryset, name, params):
        project_id = parse_uuid(params[name], "Invalid project_id.")
        return queryset.filter(task__project_id=project_id)

    def visible(self, access, queryset):
        return access.visible_preview_files(queryset)

    def check_read(self, access, instance):
        access.check_preview_file_read(instance)

    def check_update(self, access, instance, data):
        access.check_preview_file_update(instance)

    def prepare_update(self, access, instance, data):
        revision = data.get("revision", instance.revision)
        if instance.position == 1 and revision != instance.revision:
            task_previews = PreviewFile.objects.filter(task_id=instance.task_id).exclude(pk=instance.pk)
            if task_previews.filter(revision=revision, position=1).exists():
                raise WrongParameter(
                    f"Revision {revision} already exists for this task. Choose a different revision "
                    "number, or omit it to let the revision auto-increment."
                )
            # The extra previews of a revision follow its main one.
            task_previews.filter(revision=instance.revision).update(revision=revision)
        return data

    def check_delete(self, access, instance):
        access.check_preview_file_delete(instance)

    def delete(self, access, instance, params):
        deletion.remove_preview_file(instance, force=parse_bool(params.get("force", "false")))


@register
class PreviewBackgroundFilesPolicy(ReadableByAllPolicy):
    """Everyone reads; admins write; names are unique; one default background at a time."""

    model = PreviewBackgroundFile
    path = "preview-background-files"

    def check_create(self, access, data):
        access.check_admin()
        self.check_name_is_free(data.get("name"))

    def check_update(self, access, instance, data):
        access.check_admin()
        if data.get("name") is not None:
            self.check_name_is_free(data["name"], exclude=instance)

    def check_name_is_free(self, name, exclude=None):
        twins = PreviewBackgroundFile.objects.filter(name=name)
        if exclude is not None:
            twins = twins.exclude(pk=exclude.pk)
        if twins.exists():
            raise WrongParameter("A preview background file with similar name already exists")

    def after_write(self, access, instance, created):
        if instance.is_default:
            PreviewBackgroundFile.objects.filter(is_default=True).exclude(pk=instance.pk).update(
                is_default=False
            )


@register
class AttachmentFilesPolicy(CrudPolicy):
    """Admins list and write; an attachment is read by whoever reaches its comment's task
    (or its chat's entity)."""

    model = AttachmentFile
    path = "attachment-files"

    def check_read(self, access, instance):
        access.check_attachment_file_read(instance)


@register
class OutputFilesPolicy(CrudPolicy):
    """Lists: the open projects of the person's team, never vendors. Read: project access to the
    file's entity. Update: project managers, or whoever works on the entity. Admins create and
    delete. Events name the entity's project."""

    model = OutputFile
    path = "output-files"

    def visible(self, access, queryset):
        return access.visible_output_files(queryset)

    def check_read(self, access, instance):
        access.check_output_file_read(instance)

    def check_update(self, access, instance, data):
        access.check_output_file_update(instance)

    def emit(self, action, data, user):
        entity = Entity.objects.filter(pk=data["entity_id"])
        project_id = entity.values_list("project_id", flat=True).first()
        payload = {"output_file_id": data["id"]}
        record_event(f"output-file:{action}", payload, project_id=project_id, user=user)


@register
class OutputTypesPolicy(ReadableByAllPolicy):
    model = OutputType
    path = "output-types"


@register
class WorkingFilesPolicy(CrudPolicy):
    """Lists: the team's projects, closed ones included, never vendors. Read: access to the
    file's task. Update: who may act on the task. Admins create and delete."""

    model = WorkingFile
    path = "working-files"

    def visible(self, access, queryset):
        return access.visible_working_files(queryset)

    def check_read(self, access, instance):
        access.check_working_file_task(instance, check_task_access)

    def check_update(self, access, instance, data):
        access.check_working_file_task(instance, check_task_action_access)


@register
class FileStatusPolicy(ReadableByAllPolicy):
    model = FileStatus
    path = "file-status"


PLAYLIST_KINDS = ("shot", "asset", "sequence", "edit", "episode")


def check_for_entity(data):
    if data.get("for_entity") is not None and data["for_entity"] not in PLAYLIST_KINDS:
        raise WrongParameter(f"for_entity must be one of {', '.join(PLAYLIST_KINDS)}")


def unpin_foreign_previews(shots):
    """Playlist entries keep a preview only if it is a preview of their own entity."""
    entries = [shot for shot in shots if isinstance(shot, dict)]
    preview_ids = {str(shot["preview_file_id"]).lower() for shot in entries if shot.get("preview_file_id")}
    owners = {}
    if preview_ids:
        valid_ids = [pk for pk in preview_ids if is_uuid(pk)]
        rows = PreviewFile.objects.filter(pk__in=valid_ids).values_list("pk", "task__entity_id")
        owners = {str(pk): str(entity_id) for pk, entity_id in rows}
    for shot in entries:
        if shot.get("preview_file_id"):
            preview_id = str(shot["preview_file_id"]).lower()
            entity_id = str(shot.get("entity_id") or shot.get("id")).lower()
            shot["preview_file_id"] = preview_id if owners.get(preview_id) == entity_id else None
    return shots


@register
class PlaylistsPolicy(CrudPolicy):
    """Lists: the team's projects by the role held on each (clients: shared playlists; vendors:
    none). Create: project supervisors. Read: members but vendors (clients: shared ones). Update
    and delete: project managers, or the supervisor who made it."""

    model = Playlist
    path = "playlists"

    def clean_body(self, body, creating):
        # Kitsu creates a playlist of "all" or "main" episodes (no episode) and may send a blank
        # task type: both mean none, as on the reference, before the ids are validated.
        if creating:
            if body.get("episode_id") in ("all", "main"):
                body["episode_id"] = None
            if "task_type_id" in body and not is_uuid(str(body["task_type_id"])):
                body["task_type_id"] = None
        return body

    def visible(self, access, queryset):
        return access.visible_playlists(queryset)

    def check_create(self, access, data):
        project = data.get("project_id")
        if project is None:
            access.check_admin()
        else:
            access.check_supervisor(project.pk)
        check_for_entity(data)

    def prepare_create(self, access, data):
        if isinstance(data.get("shots"), list):
            data["shots"] = unpin_foreign_previews(data["shots"])
        data["created_by"] = access.person
        return data

    def check_read(self, access, instance):
        access.check_playlist_read(instance)

    def check_update(self, access, instance, data):
        access.check_playlist_update(instance)
        check_for_entity(data)

    def prepare_update(self, access, instance, data):
        if isinstance(data.get("shots"), list):
            # An entry without preview is kept, with no preview.
            entries = [
                {
                    "entity_id": shot.get("entity_id") or shot.get("id"),
                    "preview_file_id": shot.get("preview_file_id"),
                }
                for shot in data["shots"]
                if isinstance(shot, dict) and (shot.get("entity_id") or shot.get("id"))
            ]
            data["shots"] = unpin_foreign_previews(entries)
        return data

    def check_delete(self, access, instance):
        access.check_playlist_update(instance)

    def delete(self, access, instance, params):
        deletion.remove_playlists(Playlist.objects.filter(pk=instance.pk))  # its share links go along
