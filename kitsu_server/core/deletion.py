"""The reference's `DELETE /data/<model>/<id>` of tasks, persons, preview files and projects,
with and without `?force=true`.

Without force a row goes only when nothing else still points at it: the reference lets the
database refuse, here a 400 names the kinds of rows left. With force, what depends on the row
goes first, removed or detached as the reference's deletion services do it.

Everything runs inside the caller's transaction and in set-based statements (a project may hold
100k tasks): rows are chosen by subqueries, detached by `update()` and deleted by `purge`, which
deletes like Django's `delete()` but without loading the rows (see there).
"""

from django.conf import settings
from django.db import models
from django.db.models import FloatField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from rest_framework.exceptions import PermissionDenied

from assets.models import AssetInstance, Entity
from budgets.models import Budget, BudgetEntry
from files.models import (
    AttachmentFile,
    BuildJob,
    OutputFile,
    Playlist,
    PreviewFile,
    StoredFile,
    WorkingFile,
)
from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.access.scopes import OPEN_PROJECT_STATUS
from kitsu_server.core.events import record_event
from kitsu_server.core.trash.units import keeps_media, record_change, record_removal, trashing
from people.models import (
    AuthToken,
    DepartmentLink,
    DesktopLoginLog,
    LoginLog,
    Person,
    SearchFilter,
    SearchFilterGroup,
)
from productions.models import (
    MetadataDescriptor,
    Milestone,
    ProductionScheduleVersion,
    ProductionScheduleVersionTaskLink,
    ProductionScheduleVersionTaskLinkPersonLink,
    Project,
    ProjectAssetTypeLink,
    ProjectPersonLink,
    ProjectPreviewBackgroundFileLink,
    ProjectStatus,
    ProjectStatusAutomationLink,
    ProjectTaskStatusLink,
    ProjectTaskTypeLink,
    ProjectTaskTypeSoftwareLink,
    ScheduleItem,
)
from shots.models import EntityVersion
from tasks.models import (
    ApiEvent,
    Chat,
    ChatMessage,
    ChatParticipant,
    Comment,
    CommentAcknowledgement,
    CommentMention,
    News,
    Notification,
    Subscription,
    Task,
    TaskPersonLink,
    TimeSpent,
)

# The apps whose rows can hold a row back; the framework's own (the admin's log) follow it.
PRODUCTION_APPS = {"people", "productions", "assets", "shots", "tasks", "files", "budgets", "exchange"}
# A removed main preview gives way to the newest main preview with a thumbnail.
THUMBNAIL_EXTENSIONS = ("png", "mp4")
FILE_ID_BATCH = 500
LABELS = {
    ProjectPersonLink: "project teams",
    TaskPersonLink: "task assignations",
    ApiEvent: "events",
    News: "news",
    Entity: "entities",
    BudgetEntry: "budget entries",
}
# What goes along with its row on the reference, force or not (links its ORM deletes itself, or
# keys declared ON DELETE CASCADE there).
TASK_LINKS = (TaskPersonLink, ProductionScheduleVersionTaskLink)
PERSON_LINKS = (DepartmentLink, AuthToken, ProductionScheduleVersionTaskLinkPersonLink)
PROJECT_LINKS = (
    ProjectPersonLink,
    ProjectTaskTypeLink,
    ProjectTaskTypeSoftwareLink,
    ProjectTaskStatusLink,
    ProjectAssetTypeLink,
    ProjectStatusAutomationLink,
    ProjectPreviewBackgroundFileLink,
    ProductionScheduleVersion,
)


# --- tasks -------------------------------------------------------------------------------------


def remove_task(task, force=False, user=None):
    """Without force, a task goes with its assignations only: comments, previews, working files,
    time spents, notifications, news or subscriptions left on it are a 400. With force they go
    first (the previews' stored files are marked deleted, not purged at once), and the entity that
    showed one of its previews falls back on its newest main preview elsewhere (projects that set
    it automatically) or on none."""
    with trashing(task, user):
        tasks = Task.objects.filter(pk=task.pk)
        if not force:
            comments = Comment.objects.filter(object_id=task.pk)
            _refuse_if_used(tasks, "This task", allowed=TASK_LINKS, extra={"comments": comments})
            purge(tasks)  # its assignations and schedule links go with it
            return
        remove_tasks(tasks, files_force=False, restore_main=True)


def remove_tasks(tasks, files_force, restore_main):
    """Remove the tasks of a queryset with all that hangs on them (the forced task delete, for
    many tasks at once)."""
    task_ids = tasks.values("pk")
    comments = Comment.objects.filter(object_id__in=task_ids)
    comment_ids = comments.values("pk")
    purge(Notification.objects.filter(Q(task__in=task_ids) | Q(comment__in=comment_ids)))
    purge(News.objects.filter(Q(task__in=task_ids) | Q(comment__in=comment_ids)))
    _remove_comments(comments, with_previews=False)  # their previews are the task's, below
    _remove_previews(PreviewFile.objects.filter(task__in=task_ids), files_force, restore_main)
    working_files = WorkingFile.objects.filter(task__in=task_ids)
    remove_output_files(OutputFile.objects.filter(source_file__in=working_files.values("pk")))
    purge(working_files)
    purge(Subscription.objects.filter(task__in=task_ids))
    purge(TimeSpent.objects.filter(task__in=task_ids))
    purge(tasks)  # assignations and schedule version links go with them


def _remove_comments(comments, with_previews):
    """Comments with their notifications, news and attachments (stored files marked deleted);
    `with_previews`: their previews too."""
    comment_ids = comments.values("pk")
    preview_ids = []
    if with_previews:
        attached = PreviewFile.objects.filter(
            Q(comments__in=comment_ids) | Q(pk__in=comments.values("preview_file"))
        )
        preview_ids = list(attached.values_list("pk", flat=True).distinct())
    purge(Notification.objects.filter(comment__in=comment_ids))
    purge(News.objects.filter(comment__in=comment_ids))
    attachments = AttachmentFile.objects.filter(comment__in=comment_ids)
    _mark_files_deleted(attachments, force=False)
    purge(attachments)
    detach(comments, preview_file=None)
    purge(comments)  # preview links, mentions and acknowledgements go with them
    if preview_ids:
        _remove_previews(PreviewFile.objects.filter(pk__in=preview_ids), force=False, restore_main=True)


def remove_output_files(output_files):
    detach(PreviewFile.objects.filter(source_file__in=output_files.values("pk")), source_file=None)
    purge(output_files)


# --- preview files -----------------------------------------------------------------------------


def remove_preview_file(preview_file, force=False):
    """A preview goes whatever points at it: the entity showing it falls back on its newest main
    preview (projects that set it automatically) or on none, its task on its newest remaining main
    preview, news and comments let go of it. Its stored files are marked deleted; `force` has the
    purge remove them at once, whatever the storage settings say."""
    _remove_previews(PreviewFile.objects.filter(pk=preview_file.pk), force=force, restore_main=True)


def _remove_previews(previews, force, restore_main):
    doomed = previews.values("pk")
    tasks = Task.objects.filter(last_preview_file_id__in=doomed)
    entities = Entity.objects.filter(preview_file__in=doomed)
    if restore_main:
        detach(tasks, last_preview_file_id=Subquery(_last_main_preview(doomed, task_id=OuterRef("pk"))))
        detach(
            entities.filter(project__is_set_preview_automated=True),
            preview_file=Subquery(_last_main_preview(doomed, task__entity_id=OuterRef("pk"))),
        )
    else:
        detach(tasks, last_preview_file_id=None)
    detach(entities, preview_file=None)
    detach(News.objects.filter(preview_file__in=doomed), preview_file=None)
    detach(Comment.objects.filter(preview_file__in=doomed), preview_file=None)
    _mark_files_deleted(previews, force=force)
    purge(previews)  # comment links and storage states go with them


def _last_main_preview(doomed, **filters):
    """The newest ready main preview with a thumbnail matching `filters`, the doomed ones aside."""
    return (
        PreviewFile.objects.filter(position=1, status="ready", extension__in=THUMBNAIL_EXTENSIONS, **filters)
        .exclude(pk__in=doomed)
        .order_by("-created_at")
        .values("pk")[:1]
    )


def _mark_files_deleted(rows, force):
    """The stored files of `rows` (previews or attachments) are marked deleted for the purge
    worker; `force` has it remove them at once. Inside a trash unit they stay: the trash purge
    releases them (see kitsu_server.core.trash.services)."""
    if keeps_media() or not StoredFile.objects.exists():
        return
    now = timezone.now()
    batch = []
    for pk in rows.values_list("pk", flat=True).iterator(chunk_size=2000):
        batch.append(str(pk))
        if len(batch) == FILE_ID_BATCH:
            _mark_batch(batch, now, force)
            batch = []
    if batch:
        _mark_batch(batch, now, force)


def _mark_batch(file_ids, now, force):
    stored = StoredFile.objects.filter(file_id__in=file_ids, purged_at__isnull=True)
    stored.filter(deleted_at__isnull=True).update(deleted_at=now, updated_at=now)
    if force:
        stored.update(purge_forced=True, updated_at=now)


# --- persons -----------------------------------------------------------------------------------


def protected_accounts():
    """The emails of `settings.PROTECTED_ACCOUNTS` (a list, or a `;`-separated string), if set."""
    accounts = getattr(settings, "PROTECTED_ACCOUNTS", None) or ()
    if isinstance(accounts, str):
        accounts = accounts.split(";")
    return {email.strip().lower() for email in accounts if email and email.strip()}


def remove_person(person, force=False, user=None):
    """A protected account is never removed (403). Without force, a person goes with their
    department links only: anything else pointing at them (comments, events, logs, team
    memberships, assignations...) is a 400. With force, their comments go (with what hangs off
    them), and so do their acknowledgements and mentions, events, notifications, search filters,
    login logs, subscriptions and time spents (the tasks' durations are summed again), team
    memberships and assignations; the tasks they assigned, the files and previews they made, the
    entities and playlists they created and the comments they edited let go of them. Day offs,
    budget entries, chat messages and news they authored still hold them back (400)."""
    if person.email and person.email.lower() in protected_accounts():
        raise PermissionDenied("Can't delete this person it's a protected account.")
    persons = Person.objects.filter(pk=person.pk)
    if not force:
        _refuse_if_used(persons, "This person", allowed=PERSON_LINKS)
        person.delete()
        return
    _remove_comments(Comment.objects.filter(person=person), with_previews=True)
    purge(CommentAcknowledgement.objects.filter(person=person))
    purge(CommentMention.objects.filter(person=person))
    Comment.objects.filter(editor=person).update(editor=None)
    purge(ApiEvent.objects.filter(user=person))
    purge(Notification.objects.filter(Q(person=person) | Q(author=person)))
    remove_search_filters(person=person)
    purge(DesktopLoginLog.objects.filter(person=person))
    purge(LoginLog.objects.filter(person=person))
    purge(Subscription.objects.filter(person=person))
    _remove_time_spents_of(person)
    purge(ProjectPersonLink.objects.filter(person=person))
    purge(TaskPersonLink.objects.filter(person=person))
    purge(ChatParticipant.objects.filter(person=person))
    Task.objects.filter(assigner=person).update(assigner=None)
    for model, column in (
        (OutputFile, "person"),
        (WorkingFile, "person"),
        (PreviewFile, "person"),
        (Entity, "created_by"),
        (Playlist, "created_by"),
        (EntityVersion, "person"),
    ):
        model.objects.filter(**{column: person}).update(**{column: None})
    purge(persons, what="this person")


def _remove_time_spents_of(person):
    """Their time spents go and their tasks' durations are the sum of the others'."""
    spent = TimeSpent.objects.filter(person=person)
    others = (
        TimeSpent.objects.filter(task=OuterRef("pk"))
        .exclude(person=person)
        .values("task")
        .annotate(total=Sum("duration"))
        .values("total")
    )
    Task.objects.filter(pk__in=spent.values("task")).update(
        duration=Coalesce(Subquery(others, output_field=FloatField()), Value(0.0))
    )
    purge(spent)


def remove_search_filters(**owner):
    """The search filters and groups of a person or project; a group takes its filters along."""
    groups = SearchFilterGroup.objects.filter(**owner)
    purge(SearchFilter.objects.filter(Q(search_filter_group__in=groups.values("pk")) | Q(**owner)))
    purge(groups)


# --- projects ----------------------------------------------------------------------------------


def check_project_deletable(project):
    """Only closed projects are deleted (a 400 otherwise, once the caller may delete it)."""
    status = ProjectStatus.objects.filter(pk=project.project_status_id).values_list("name", flat=True).first()
    if status == OPEN_PROJECT_STATUS:
        raise WrongParameter("Only closed projects can be deleted")


def remove_preview_account(project, user=None):
    """The project's preview account goes, by force, whatever the deletion of the project."""
    for account in Person.objects.filter(preview_project=project):
        account_id = str(account.pk)
        remove_person(account, force=True, user=user)
        record_event("person:delete", {"person_id": account_id}, user=user)


def remove_project(project, force=False, user=None):
    """Open projects are never removed (400). Its preview account goes first. Without force, a
    project goes with its links (team, task types and statuses, asset types, automations,
    backgrounds, schedule versions) only: tasks, entities, playlists, budgets, events, schedule,
    milestones, metadata or search filters left on it are a 400. With force, all of them go,
    tasks with everything a forced task deletion takes (the previews' stored files purged at once),
    entities with their casting, versions, instances, files, chats and subscriptions."""
    with trashing(project, user):
        check_project_deletable(project)
        remove_preview_account(project, user=user)
        projects = Project.objects.filter(pk=project.pk)
        if not force:
            _refuse_if_used(projects, "This project", allowed=PROJECT_LINKS)
            purge(projects)  # its links go with it
            return
        remove_tasks(Task.objects.filter(project=project), files_force=True, restore_main=False)
        purge(BudgetEntry.objects.filter(budget__project=project))
        purge(Budget.objects.filter(project=project))
        remove_playlists(Playlist.objects.filter(Q(project=project) | Q(episode__project=project)))
        remove_entities(Entity.objects.filter(project=project))
        purge(MetadataDescriptor.objects.filter(project=project))  # department links go with them
        purge(Milestone.objects.filter(project=project))
        purge(ScheduleItem.objects.filter(project=project))
        remove_search_filters(project=project)
        purge(ApiEvent.objects.filter(project=project))
        purge(projects, what="this project")  # links and schedule versions go with it


def remove_playlists(playlists):
    playlist_ids = playlists.values("pk")
    purge(Notification.objects.filter(playlist__in=playlist_ids))
    purge(BuildJob.objects.filter(playlist__in=playlist_ids))
    purge(playlists)  # share links go with them


def remove_entities(entities):
    """Remove the entities of a queryset (their tasks gone already) with their casting, versions,
    instances, files, chats and subscriptions."""
    entity_ids = entities.values("pk")
    _remove_chats(Chat.objects.filter(object_id__in=entity_ids))
    purge(EntityVersion.objects.filter(entity__in=entity_ids))
    purge(Subscription.objects.filter(entity__in=entity_ids))
    purge(ScheduleItem.objects.filter(object_id__in=entity_ids))
    instances = AssetInstance.objects.filter(
        Q(asset__in=entity_ids)
        | Q(scene__in=entity_ids)
        | Q(target_asset__in=entity_ids)
        | Q(entity__in=entity_ids)
    )
    remove_output_files(
        OutputFile.objects.filter(
            Q(entity__in=entity_ids)
            | Q(temporal_entity__in=entity_ids)
            | Q(asset_instance__in=instances.values("pk"))
        )
    )
    working_files = WorkingFile.objects.filter(entity__in=entity_ids)
    remove_output_files(OutputFile.objects.filter(source_file__in=working_files.values("pk")))
    purge(working_files)
    purge(instances)  # their casting links go with them
    # Parents and sources may be deleted in any order once nothing points at them.
    detach(Entity.objects.filter(parent__in=entity_ids), parent=None)
    detach(Entity.objects.filter(source__in=entity_ids), source=None)
    purge(entities)  # casting and concept links go with them


def _remove_chats(chats):
    messages = ChatMessage.objects.filter(chat__in=chats.values("pk"))
    attachments = AttachmentFile.objects.filter(chat_message__in=messages.values("pk"))
    _mark_files_deleted(attachments, force=False)
    purge(attachments)
    purge(messages)
    purge(chats)  # participants go with them


# --- set-based deletion ------------------------------------------------------------------------


def _reverse_relations(model):
    """The foreign keys pointing at `model`, hidden ones (link tables) included, as Django's
    deletion collector walks them."""
    return [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and (field.one_to_one or field.one_to_many)
    ]


def _pointing_at(relation, queryset):
    manager = relation.related_model._base_manager
    return manager.filter(**{f"{relation.field.name}__in": queryset.values("pk")})


def _label(model):
    return LABELS.get(model, str(model._meta.verbose_name_plural))


def _refuse_if_used(queryset, what, allowed=(), extra=None):
    """A 400 naming the kinds of rows (of the production apps, `allowed` aside) still pointing at
    `queryset`'s rows, and of the `extra` querysets (references that are no foreign key)."""
    found = set()
    for relation in _reverse_relations(queryset.model):
        model = relation.related_model
        if model in allowed or model._meta.app_label not in PRODUCTION_APPS:
            continue
        if _pointing_at(relation, queryset).exists():
            found.add(_label(model))
    for label, rows in (extra or {}).items():
        if rows.exists():
            found.add(label)
    if found:
        raise WrongParameter(
            f"{what} is still used by other data ({', '.join(sorted(found))}): "
            "remove them first, or delete it with force=true."
        )


def purge(queryset, what=None, depth=0):
    """Delete `queryset`'s rows as Django's `delete()` would, in a few statements whatever their
    number: rows that follow them (CASCADE) go first, recursively, keys that let go (SET_NULL)
    are emptied, and any other row still pointing at them is a 400 naming it. Django's own
    `delete()` loads every row (and deletes them by batches of 100) to run `on_delete` in Python;
    there are no delete signals in this project to honour."""
    if depth > 4:
        raise RuntimeError(f"Cascade too deep at {queryset.model.__name__}")
    relations = _reverse_relations(queryset.model)
    held = set()
    for relation in relations:
        if relation.on_delete not in (models.CASCADE, models.SET_NULL):
            if _pointing_at(relation, queryset).exists():
                held.add(_label(relation.related_model))
    if held:
        subject = what or str(queryset.model._meta.verbose_name_plural)
        raise WrongParameter(f"Some data are still linked to {subject}: {', '.join(sorted(held))}.")
    for relation in relations:
        if relation.on_delete is models.CASCADE:
            purge(_pointing_at(relation, queryset), depth=depth + 1)
        elif relation.on_delete is models.SET_NULL:
            detach(_pointing_at(relation, queryset), **{relation.field.name: None})
    record_removal(queryset)
    return queryset._raw_delete(queryset.db)


def detach(queryset, **values):
    """`queryset.update(**values)` for rows that stay while what they point at goes: inside a
    trash unit, their old values are kept to be put back by a restore."""
    record_change(queryset, list(values))
    return queryset.update(**values)
