"""The `/data/...` routes of this app: one policy per model (see kitsu_server.core.data).

News, notifications, subscriptions, events, chats and chat messages keep the
base rules (admins only), as on the reference: people reach those rows
through their own routes (`/data/user/...`, `/actions/...`).
"""

from assets.models import NON_ASSET_TYPE_NAMES
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import ModelShape
from kitsu_server.api.params import parse_bool, parse_uuid
from kitsu_server.core import deletion
from kitsu_server.core.access.tasks import (
    blank_task_for_client,
)
from kitsu_server.core.data.filters import to_python
from kitsu_server.core.data.policies import CrudPolicy, ReadableByAllPolicy, register
from kitsu_server.core.events import record_event
from people.models import Person
from productions.models import ProjectTaskTypeLink, ScheduleItem
from tasks import services
from tasks.models import (
    ApiEvent,
    Chat,
    ChatMessage,
    Comment,
    News,
    Notification,
    Subscription,
    Task,
    TaskStatus,
    TaskType,
    TimeSpent,
)


class ClientTaskShape(ModelShape):
    """Task rows as a client reads them: the studio fields blank, no assignees."""

    def format_tuple(self, values, as_text):
        return blank_task_for_client(super().format_tuple(values, as_text))

    def relation_ids(self, objects):
        return {field.name: {} for field in self.relations}


class NotificationShape(ModelShape):
    def format_tuple(self, values, as_text):
        data = super().format_tuple(values, as_text)
        data["notification_type"] = values[self.column_names.index("type")]
        return data


def check_assignable(person_ids):
    if Person.objects.filter(pk__in=person_ids, preview_project__isnull=False).exists():
        raise WrongParameter("A preview account can't be assigned")


def check_task_type_fits_entity(task_type, entity):
    """Asset task types go on assets; the others on the entity kind they name."""
    kind = entity.entity_type.name
    if task_type.for_entity == "Asset":
        fits = kind not in NON_ASSET_TYPE_NAMES
    else:
        fits = kind == task_type.for_entity
    if not fits:
        raise WrongParameter("Task type of the task does not match entity type.")


@register
class TasksPolicy(CrudPolicy):
    """Lists: a vendor's assigned tasks; others the tasks of the open projects of their team.
    Read: project access (vendors: entities they work on). Update: project managers, or the
    department's supervisors for planning columns. Delete: project managers."""

    model = Task
    path = "tasks"
    custom_filters = ("episode_id",)  # no column: the episode of a shot's sequence

    def custom_filter(self, queryset, name, params):
        episode_id = parse_uuid(params[name], f"Invalid UUID format for episode_id: {params[name]}")
        return queryset.filter(entity__parent__parent_id=episode_id)

    def __init__(self):
        super().__init__()
        self.client_shape = ClientTaskShape(Task)

    def clean_body(self, body, creating):
        if creating:
            body["name"] = body.get("name") or "main"  # the entity's main task, as on the reference
        return body

    def shape_for(self, access, instance=None):
        # A list resolves no project: the global role decides, as on the reference.
        role = access.role if instance is None else access.project_role(instance.project_id)
        return self.client_shape if role == "client" else self.shape

    def visible(self, access, queryset):
        return access.visible_tasks(queryset)

    def check_read(self, access, instance):
        access.check_task_access(instance)

    def check_create(self, access, data):
        task_type, entity = data.get("task_type_id"), data.get("entity_id")
        for column, value in (("task_type_id", task_type), ("entity_id", entity)):
            if value is None:
                raise WrongParameter(f"A valid {column} is required.")
        # The reference checks nobody here; we keep tasks within the projects of their creator.
        access.check_project_access(entity.project_id)
        check_task_type_fits_entity(task_type, entity)
        project = data.get("project_id")
        if project is not None and project.pk != entity.project_id:
            raise WrongParameter("The task's project must be its entity's project.")
        check_assignable(data.get("assignees") or [])

    def prepare_create(self, access, data):
        entity = data["entity_id"]
        if data.get("project_id") is None:
            data["project_id"] = entity.project
        duplicate = Task.objects.filter(
            name=data["name"], project_id=entity.project_id, task_type=data["task_type_id"], entity=entity
        )
        if duplicate.exists():
            raise WrongParameter("Task already exists.")
        return data

    def check_update(self, access, instance, data):
        access.check_supervisor_task_access(instance, data)
        if "assignees" in data:
            check_assignable(data["assignees"])
            instance.previous_assignee_ids = set(instance.assignees.values_list("pk", flat=True))

    def prepare_update(self, access, instance, data):
        if data.get("data") and isinstance(data["data"], dict):  # custom fields pile up: merge them
            existing = instance.data if isinstance(instance.data, dict) else {}  # or replaced
            data["data"] = {**existing, **data["data"]}
        return data

    def after_write(self, access, instance, created):
        previous = getattr(instance, "previous_assignee_ids", None)
        if previous is not None:
            services.record_assignation_changes(instance, previous, access.person)

    def check_delete(self, access, instance):
        access.check_manager(instance.project_id)

    def delete(self, access, instance, params):
        deletion.remove_task(instance, parse_bool(params.get("force", "false")), user=access.person)

    def render(self, instance, relations=True, access=None):
        data = super().render(instance, relations, access)
        if access is not None and self.shape_for(access, instance) is self.client_shape:
            data = blank_task_for_client(data)
        return data

    def emit(self, action, data, user):
        payload = {"task_id": data["id"]}
        if action == "delete":
            payload |= {"entity_id": data["entity_id"], "task_type_id": data["task_type_id"]}
        record_event(f"task:{action}", payload, project_id=data["project_id"], user=user)


def check_task_type_name_is_free(name, exclude=None):
    twins = TaskType.objects.filter(name__iexact=name)
    if exclude is not None:
        twins = twins.exclude(pk=exclude.pk)
    if twins.exists():
        raise WrongParameter("A task type with similar name already exists")


@register
class TaskTypesPolicy(ReadableByAllPolicy):
    """Everyone reads; admins write. Names are unique regardless of case; a task type used by
    schedule items or projects is not deleted."""

    model = TaskType
    path = "task-types"

    def check_create(self, access, data):
        access.check_admin()
        check_task_type_name_is_free(data.get("name"))

    def check_update(self, access, instance, data):
        access.check_admin()
        if data.get("name") is not None and data["name"] != instance.name:
            check_task_type_name_is_free(data["name"], exclude=instance)

    def delete(self, access, instance, params):
        schedule_items = ScheduleItem.objects.filter(task_type=instance)
        project_links = ProjectTaskTypeLink.objects.filter(task_type=instance)
        if parse_bool(params.get("force", "false")):
            schedule_items.delete()
            project_links.delete()
        blockers = []
        if schedule_items.exists():
            blockers.append("schedule items")
        if project_links.exists():
            blockers.append("projects")
        if blockers:
            raise WrongParameter(
                f"Task type is attached to {' and '.join(blockers)}. "
                "Re-issue the request with force=true to detach."
            )
        instance.delete()


@register
class TaskStatusPolicy(ReadableByAllPolicy):
    """Everyone reads; admins write. One default status at a time."""

    model = TaskStatus
    path = "task-status"

    def after_write(self, access, instance, created):
        if instance.is_default:
            services.make_only_default(instance)


def task_of(comment):
    return Task.objects.filter(pk=comment.object_id).select_related("project", "entity").first()


@register
class CommentsPolicy(CrudPolicy):
    """Lists and creation: admins (comments are posted through the task actions). Read: the
    comment rules (clients only client-facing comments). Update: authors their text, managers
    anything. Delete: project managers, or the author; the task is recomputed after."""

    model = Comment
    path = "comments"
    read_only_on_update = ("mentions", "department_mentions")  # they follow the comment's text

    def check_read(self, access, instance):
        access.check_comment_access(instance, task_of(instance))

    def check_update(self, access, instance, data):
        access.check_comment_update(instance, task_of(instance), data)  # a 403 before any 400
        instance.previous_task_status_id = instance.task_status_id

    def prepare_update(self, access, instance, data):
        data["editor_id"] = access.person
        return data

    def after_write(self, access, instance, created):
        if created or not hasattr(instance, "previous_task_status_id"):
            return
        previous = instance.previous_task_status_id
        if instance.task_status_id in (None, previous):
            return
        task = task_of(instance)
        if task is not None:
            services.reset_task_data(task, user=access.person)
            services.record_status_change(task, previous, instance.person_id, access.person)

    def check_delete(self, access, instance):
        access.check_comment_delete(instance, task_of(instance))

    def delete(self, access, instance, params):
        services.remove_comment(instance, task_of(instance), user=access.person)

    def render(self, instance, relations=True, access=None):
        data = super().render(instance, relations, access)
        person = instance.person
        data["person"] = {
            "id": str(person.pk),
            "first_name": person.first_name,
            "last_name": person.last_name,
            "full_name": person.full_name,
            "has_avatar": person.has_avatar,
            "role": person.role,
        }
        if relations:
            data["attachment_files"] = [
                {"id": str(pk), "name": name, "extension": extension, "size": size}
                for pk, name, extension, size in instance.attachment_files.values_list(
                    "pk", "name", "extension", "size"
                )
            ]
        return data

    def emit(self, action, data, user):
        payload = {"comment_id": data["id"], "task_id": data["object_id"]}
        if action != "delete":
            payload |= {"person_id": data["person_id"], "for_client": data["for_client"]}
        project_id = None
        if action != "new":  # the reference names the project on updates and deletes only
            task = Task.objects.filter(pk=data["object_id"])
            project_id = task.values_list("project_id", flat=True).first()
        record_event(f"comment:{action}", payload, project_id=project_id, user=user)


@register
class TimeSpentsPolicy(CrudPolicy):
    """Admins list, create, read and update (people log time through the task actions);
    the assignee, or an admin or a project manager, removes a time spent of an assignee.
    Every change sums the task's duration again."""

    model = TimeSpent
    path = "time-spents"
    custom_filters = ("start_date", "end_date")  # a range of days, both bounds included

    def custom_filter(self, queryset, name, params):
        start, end = params.get("start_date"), params.get("end_date")
        if not start or not end:
            raise WrongParameter(
                "If querying for a range of dates, both a `start_date` and an `end_date` must be given."
            )
        if name == "end_date":
            return queryset  # applied with start_date
        field = TimeSpent._meta.get_field("date")
        return queryset.filter(date__range=(to_python(field, start, name), to_python(field, end, "end_date")))

    def check_delete(self, access, instance):
        access.check_time_spent_access(instance.task, instance.person_id)

    def after_write(self, access, instance, created):
        services.refresh_task_duration(instance.task_id, user=access.person)

    def delete(self, access, instance, params):
        task_id = instance.task_id
        instance.delete()
        services.refresh_task_duration(task_id, user=access.person)


@register
class NewsPolicy(CrudPolicy):
    model = News
    path = "news"


@register
class NotificationsPolicy(CrudPolicy):
    """Admins only. A notification's own `type` column (comment, mention, assignation...) is
    hidden by the JSON `type`: it is also sent as `notification_type`, as the reference does."""

    model = Notification
    path = "notifications"

    def __init__(self):
        super().__init__()
        self.shape = NotificationShape(Notification)

    def render(self, instance, relations=True, access=None):
        data = super().render(instance, relations, access)
        data["notification_type"] = instance.type
        return data


@register
class SubscriptionsPolicy(CrudPolicy):
    model = Subscription
    path = "subscriptions"


@register
class EventsPolicy(CrudPolicy):
    """Admins only. Unpaginated, the list stops at the 1,000 newest events (the reference caps it
    too, on whichever rows come first); `page`/`limit` or /data/events/last reach the rest."""

    model = ApiEvent
    path = "events"
    list_cap = 1000


@register
class ChatsPolicy(CrudPolicy):
    model = Chat
    path = "chats"


@register
class ChatMessagesPolicy(CrudPolicy):
    model = ChatMessage
    path = "chat-messages"
