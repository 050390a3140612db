"""Reads of working and output files: a task's or entity's files, the last revision of each file,
the next revision number, output types in use. Each list is one query (rendered by
kitsu_server.core.rendering)."""

from django.db.models import Max, OuterRef, Subquery

from files.models import OutputFile, OutputType, WorkingFile

# The optional filters of every output file list (a query string or body value): empty ones are
# left out, as the reference does.
OUTPUT_FILE_FILTERS = ("task_type_id", "output_type_id", "name", "representation", "file_status_id")


def filtered_output_files(queryset, filters):
    """`queryset` narrowed by the non-empty values of `filters` ({name: value} of
    OUTPUT_FILE_FILTERS)."""
    return queryset.filter(**{name: value for name, value in filters.items() if value})


# --- working files ---------------------------------------------------------------------------


def task_working_files(task):
    """A task's working files, highest revision first."""
    return WorkingFile.objects.filter(task_id=task.pk, revision__gte=0).order_by("-revision", "-created_at")


def entity_working_files(entity, task_id=None, name=None):
    queryset = WorkingFile.objects.filter(entity_id=entity.pk, revision__gte=0)
    if task_id:
        queryset = queryset.filter(task_id=task_id)
    if name:
        queryset = queryset.filter(name=name)
    return queryset.order_by("-revision", "-created_at")


def last_working_files(task):
    """The working files of a task that hold the highest revision of their name."""
    highest = (
        WorkingFile.objects.filter(task_id=OuterRef("task_id"), name=OuterRef("name"))
        .order_by("-revision")
        .values("revision")[:1]
    )
    return WorkingFile.objects.filter(task_id=task.pk, revision=Subquery(highest)).order_by("name")


def next_working_revision(task, name):
    highest = WorkingFile.objects.filter(task_id=task.pk, name=name).aggregate(top=Max("revision"))["top"]
    return 1 if highest is None else highest + 1


# --- output files ----------------------------------------------------------------------------


def last_output_revision(entity_id, output_type_id, task_type_id, name, asset_instance_id=None,
                         temporal_entity_id=None):  # fmt: skip
    """The highest revision (above 0) of an output of the entity (or of the asset instance in a
    shot or scene), its type, task type and name; 0 when there is none."""
    queryset = OutputFile.objects.filter(
        output_type_id=output_type_id, task_type_id=task_type_id, name=name, revision__gt=0
    )
    if asset_instance_id is None:
        queryset = queryset.filter(entity_id=entity_id)
    else:
        queryset = queryset.filter(asset_instance_id=asset_instance_id, temporal_entity_id=temporal_entity_id)
    return queryset.aggregate(top=Max("revision"))["top"] or 0


def entity_output_files(entity, filters):
    queryset = OutputFile.objects.filter(
        entity_id=entity.pk, asset_instance__isnull=True, temporal_entity__isnull=True, revision__gte=0
    )
    return filtered_output_files(queryset, filters).order_by("-revision", "-created_at")


def project_output_files(project, filters):
    queryset = OutputFile.objects.filter(
        entity__project_id=project.pk,
        asset_instance__isnull=True,
        temporal_entity__isnull=True,
        revision__gte=0,
    )
    return filtered_output_files(queryset, filters).order_by("-created_at")


def instance_output_files(asset_instance, temporal_entity_id, filters):
    queryset = OutputFile.objects.filter(asset_instance_id=asset_instance.pk, revision__gte=0)
    if temporal_entity_id:
        queryset = queryset.filter(temporal_entity_id=temporal_entity_id)
    return filtered_output_files(queryset, filters).order_by("-revision", "-created_at")


def _last_revisions(scope, filters):
    """The files of `scope` holding the highest revision, among the filtered files of `scope`,
    of their task type, output type, name and representation."""
    highest = (
        filtered_output_files(scope, filters)
        .filter(
            task_type_id=OuterRef("task_type_id"),
            output_type_id=OuterRef("output_type_id"),
            name=OuterRef("name"),
            representation=OuterRef("representation"),
        )
        .order_by("-revision")
        .values("revision")[:1]
    )
    return scope.filter(revision=Subquery(highest)).order_by("name", "representation", "-created_at")


def last_entity_output_files(entity, filters):
    scope = OutputFile.objects.filter(entity_id=entity.pk, asset_instance__isnull=True)
    return _last_revisions(scope, filters)


def last_instance_output_files(asset_instance, temporal_entity_id, filters):
    scope = OutputFile.objects.filter(
        asset_instance_id=asset_instance.pk, temporal_entity_id=temporal_entity_id
    )
    return _last_revisions(scope, filters)


def entity_output_types(entity):
    """The output types of the entity's output files, by name."""
    used = OutputFile.objects.filter(entity_id=entity.pk).values("output_type_id")
    return OutputType.objects.filter(pk__in=used).order_by("name")


def instance_output_types(asset_instance, temporal_entity_id):
    used = OutputFile.objects.filter(
        asset_instance_id=asset_instance.pk, temporal_entity_id=temporal_entity_id
    ).values("output_type_id")
    return OutputType.objects.filter(pk__in=used).order_by("name")


def entity_output_type_files(entity, output_type, representation=None):
    queryset = OutputFile.objects.filter(
        entity_id=entity.pk, asset_instance__isnull=True, output_type_id=output_type.pk
    )
    if representation is not None:
        queryset = queryset.filter(representation=representation)
    return queryset.order_by("-revision", "-created_at")


def instance_output_type_files(asset_instance, temporal_entity_id, output_type, representation=None):
    queryset = OutputFile.objects.filter(
        asset_instance_id=asset_instance.pk,
        temporal_entity_id=temporal_entity_id,
        output_type_id=output_type.pk,
    )
    if representation is not None:
        queryset = queryset.filter(representation=representation)
    return queryset.order_by("-revision", "-created_at")
