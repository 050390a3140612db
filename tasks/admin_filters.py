"""The task list's columns and filters in the back-office: what a production manager asks of it
("what is late on episode 2 and who has it", "what did Sam deliver this week").

Filters list their choices from small tables (projects, episodes, task types, persons) and,
for sequences, only once a project or an episode narrows them: never a query over the tasks.
"""

from collections import Counter

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import smart_split, unescape_string_literal

from assets.models import NON_ASSET_TYPE_NAMES, Entity
from kitsu_server.admin_access import readable_project_ids
from people.models import Department, Person
from tasks.models import TaskPersonLink, TaskStatus, TaskType

# The joins `entity_full_name` reads, for every list showing a task's entity.
ENTITY_NAME_RELATED = ("entity__entity_type", "entity__parent__parent")


def entity_full_name(entity):
    """How Kitsu names an entity: "E01 / SQ010 / SH0010" on the shot side, "Character / Bunny"
    for an asset (two SH0010s of different sequences no longer look alike)."""
    if entity is None:
        return ""
    kind = entity.entity_type.name
    if kind not in NON_ASSET_TYPE_NAMES:
        return f"{kind} / {entity.name}"
    names = [entity.name]
    parent = entity.parent
    if parent is not None:
        names.insert(0, parent.name)
        if parent.parent_id is not None:
            names.insert(0, parent.parent.name)
    return " / ".join(names)


def status_badge(task_status):
    """A status as the web UI shows it: its short name on its colour."""
    if task_status is None:
        return ""
    return format_html(
        '<span class="kitsu-status" style="background:{}" title="{}">{}</span>',
        task_status.color or "#f5f5f5",
        task_status.name,
        (task_status.short_name or task_status.name).upper(),
    )


def person_names(persons):
    return format_html_join(", ", "{}", ((person.full_name,) for person in persons))


def hours(minutes):
    return f"{(minutes or 0) / 60:.1f}".rstrip("0").rstrip(".")


class ProjectNarrowedFilter(admin.SimpleListFilter):
    """A filter whose choices depend on the project (or episode) already chosen."""

    def chosen(self, request, name):
        return request.GET.get(name) or None

    def project_id(self, request):
        return self.chosen(request, "project__id__exact")

    def readable(self, request, entities):
        """`entities` of the productions the person reads (admins: all)."""
        project_ids = readable_project_ids(request)
        return entities if project_ids is None else entities.filter(project_id__in=project_ids)


class EpisodeFilter(ProjectNarrowedFilter):
    title = "episode"
    parameter_name = "episode"

    def lookups(self, request, model_admin):
        episodes = self.readable(request, Entity.objects.filter(entity_type__name="Episode"))
        if self.project_id(request):
            episodes = episodes.filter(project_id=self.project_id(request))
        return [(str(pk), name) for pk, name in episodes.order_by("name").values_list("pk", "name")[:200]]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        episode = self.value()
        # Shots of its sequences, its sequences, itself, and the assets made for it (`source`).
        return queryset.filter(
            Q(entity__parent__parent_id=episode)
            | Q(entity__parent_id=episode)
            | Q(entity_id=episode)
            | Q(entity__source_id=episode)
        )


class SequenceFilter(ProjectNarrowedFilter):
    title = "sequence"
    parameter_name = "sequence"

    def lookups(self, request, model_admin):
        episode, project = self.chosen(request, "episode"), self.project_id(request)
        if not (episode or project):
            return []  # a studio has thousands: chosen within a project or an episode
        sequences = self.readable(request, Entity.objects.filter(entity_type__name="Sequence"))
        sequences = sequences.filter(parent_id=episode) if episode else sequences.filter(project_id=project)
        rows = sequences.order_by("parent__name", "name").values_list("pk", "parent__name", "name")[:500]
        return [(str(pk), f"{parent} / {name}" if parent else name) for pk, parent, name in rows]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(Q(entity__parent_id=self.value()) | Q(entity_id=self.value()))


class TaskTypeFilter(admin.SimpleListFilter):
    """Task types by name, with the kind of entity they are for when two share a name
    (a "Concept" task type of assets and one of concepts)."""

    title = "task type"
    parameter_name = "task_type"

    def lookups(self, request, model_admin):
        types = TaskType.objects.order_by("for_entity", "priority", "name")
        rows = list(types.values_list("pk", "name", "for_entity"))
        shared = {name for name, count in Counter(name for _, name, _ in rows).items() if count > 1}
        return [(str(pk), f"{name} ({kind})" if name in shared else name) for pk, name, kind in rows]

    def queryset(self, request, queryset):
        return queryset.filter(task_type_id=self.value()) if self.value() else queryset


class AssigneeFilter(ProjectNarrowedFilter):
    """The persons who hold tasks (of the chosen project: its team)."""

    title = "assignee"
    parameter_name = "assignee"

    def lookups(self, request, model_admin):
        persons = Person.objects.filter(is_bot=False)
        if self.project_id(request):
            persons = persons.filter(projects=self.project_id(request))
        rows = persons.order_by("first_name", "last_name").values_list("pk", "first_name", "last_name")[:500]
        return [("none", "Nobody"), *((str(pk), f"{first} {last}".strip()) for pk, first, last in rows)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if self.value() == "none":
            return queryset.exclude(pk__in=TaskPersonLink.objects.values("task_id"))
        return queryset.filter(pk__in=TaskPersonLink.objects.filter(person_id=self.value()).values("task_id"))


class DepartmentFilter(admin.SimpleListFilter):
    title = "department"
    parameter_name = "department"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Department.objects.order_by("name").values_list("pk", "name")]

    def queryset(self, request, queryset):
        return queryset.filter(task_type__department_id=self.value()) if self.value() else queryset


class LateFilter(admin.SimpleListFilter):
    """Late: due before today and not done. Due this week: due within the next 7 days."""

    title = "schedule"
    parameter_name = "late"

    def lookups(self, request, model_admin):
        return [("yes", "Late"), ("week", "Due within 7 days"), ("done-week", "Done in the last 7 days")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "yes":
            return late_tasks(queryset, now)
        if self.value() == "week":
            open_tasks = queryset.exclude(task_status__is_done=True)
            return open_tasks.filter(due_date__gte=now, due_date__lt=now + timezone.timedelta(days=7))
        if self.value() == "done-week":
            return queryset.filter(done_date__gte=now - timezone.timedelta(days=7))
        return queryset


def late_tasks(queryset, now=None):
    """Tasks due before now that are not done."""
    return queryset.filter(due_date__lt=now or timezone.now()).exclude(task_status__is_done=True)


def search_tasks(queryset, search_term):
    """Tasks whose entity (or its sequence, episode, asset type), task type, status or an assignee
    is named by every word of `search_term`. Each word is looked up in the small tables first
    (entities, types, statuses, persons), so the task table is filtered by ids, without joining
    every assignee (which would need a DISTINCT over the whole list)."""
    for word in smart_split(search_term):
        word = unescape_string_literal(word) if word[0] in "\"'" and word[-1] == word[0] else word
        entities = Entity.objects.filter(
            Q(name__icontains=word)
            | Q(parent__name__icontains=word)
            | Q(parent__parent__name__icontains=word)
            | Q(entity_type__name__icontains=word)
        )
        persons = Person.objects.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
        queryset = queryset.filter(
            Q(entity_id__in=entities.values("pk"))
            | Q(task_type_id__in=TaskType.objects.filter(name__icontains=word).values("pk"))
            | Q(
                task_status_id__in=TaskStatus.objects.filter(
                    Q(name__icontains=word) | Q(short_name__icontains=word)
                ).values("pk")
            )
            | Q(pk__in=TaskPersonLink.objects.filter(person__in=persons.values("pk")).values("task_id"))
        )
    return queryset
