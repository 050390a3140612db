"""The name a preview downloads under, as the reference writes it: the upload's name when the
organisation keeps original names, else `<project>_<entity>_<task type>_v<revision>` slugified;
`-<position>` for the extra previews of a revision."""

from slugify import slugify

from people.models import Organisation

TEMPORAL_PARENTS = {"Shot": 2, "Sequence": 1, "Episode": 0}


def entity_label(entity):
    """ "Type / Asset", "Episode / Sequence / Shot"...: the entity's full name."""
    kind = entity.entity_type.name if entity.entity_type_id else ""
    if kind not in TEMPORAL_PARENTS:
        return f"{kind} / {entity.name}" if kind else entity.name
    names, parent = [entity.name], entity.parent
    for _ in range(TEMPORAL_PARENTS[kind]):
        if parent is None:
            break
        names.insert(0, parent.name)
        parent = parent.parent
    return " / ".join(names)


def preview_download_name(preview):
    organisation = Organisation.objects.order_by("created_at", "pk").first()
    if organisation is not None and organisation.use_original_file_name and preview.original_name:
        name = preview.original_name
    elif preview.task is not None:
        task = preview.task
        entity = entity_label(task.entity) if task.entity_id else ""
        name = slugify(
            f"{task.project.name}_{entity}_{task.task_type.name}_v{preview.revision}", separator="_"
        )
    else:
        name = str(preview.pk)
    if (preview.position or 0) > 1:
        name = f"{name}-{preview.position}"
    return f"{name}.{preview.extension}"
