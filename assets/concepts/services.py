"""Writes of the `concepts` and `edits` areas: concepts, the folders that sort them, and edits,
each in one transaction with the events the reference records. Removing a concept or an edit
goes through assets.services.remove_entity (canceled while it holds tasks, unless forced).

Creations follow the reference's create-or-return: a concept (folder, edit) whose name is taken
in its production (and episode, for an edit) is returned as it is, with no event.
"""

from django.db import transaction
from django.utils import timezone

from assets.models import Entity, EntityConceptLink, EntityType, entity_kind
from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.events import record_event, record_events


def entity_type_named(name):
    """The fixed entity type of a kind ("Concept", "ConceptFolder", "Edit"), created on first use."""
    entity_type, created = EntityType.objects.get_or_create(name=name)
    if created:
        entity_kind.forget()
    return entity_type


# --- concepts ------------------------------------------------------------------------------------


def create_concept(project_id, name, *, data=None, description=None, linked_ids=(), folder=None, user=None):
    """A concept of the production (in `folder` when given), linked to the entities of
    `linked_ids` that exist. Records `concept:new`. Returns (concept, created)."""
    with transaction.atomic():
        concept_type = entity_type_named("Concept")
        concept = Entity.objects.filter(entity_type=concept_type, project_id=project_id, name=name).first()
        if concept is not None:  # whatever its folder, as on the reference
            return concept, False
        # A request beaten to the name by a concurrent one gets the row it made.
        concept, created = Entity.objects.get_or_create(
            entity_type=concept_type,
            project_id=project_id,
            parent=folder,
            name=name,
            defaults={
                "data": data if data is not None else {},
                "description": description,
                "created_by": user,
            },
        )
        if not created:
            return concept, False
        existing = Entity.objects.filter(pk__in=linked_ids).values_list("pk", flat=True)
        EntityConceptLink.objects.bulk_create(
            [EntityConceptLink(entity_in=concept, entity_out_id=pk) for pk in existing]
        )
        record_event("concept:new", {"concept_id": str(concept.pk)}, project_id=project_id, user=user)
    return concept, True


def move_concepts(project_id, concept_ids, folder=None, user=None):
    """Put the production's concepts among `concept_ids` in `folder` (back at the root when
    None); other ids are skipped. Records `concept:update` each. Returns the ids moved, in the
    order given."""
    with transaction.atomic():
        concepts = Entity.objects.filter(
            pk__in=concept_ids, project_id=project_id, entity_type__name="Concept"
        )
        found = set(concepts.values_list("pk", flat=True))
        moved = []
        for concept_id in concept_ids:
            if concept_id in found and concept_id not in moved:
                moved.append(concept_id)
        Entity.objects.filter(pk__in=moved).update(parent=folder, updated_at=timezone.now())
        record_events(
            "concept:update", [{"concept_id": str(pk)} for pk in moved], project_id=project_id, user=user
        )
    return [str(pk) for pk in moved]


# --- concept folders -----------------------------------------------------------------------------


def create_concept_folder(project_id, name, user=None):
    """A folder of the production's concepts (the one of that name when there is one already).
    Records `concept-folder:new`. Returns (folder, created)."""
    with transaction.atomic():
        folder_type = entity_type_named("ConceptFolder")
        folder = Entity.objects.filter(entity_type=folder_type, project_id=project_id, name=name).first()
        if folder is not None:
            return folder, False
        # A request beaten to the name by a concurrent one gets the row it made.
        folder, created = Entity.objects.get_or_create(
            entity_type=folder_type,
            project_id=project_id,
            parent=None,
            name=name,
            defaults={"created_by": user},
        )
        if created:
            record_event(
                "concept-folder:new", {"concept_folder_id": str(folder.pk)}, project_id=project_id, user=user
            )
    return folder, created


def rename_concept_folder(folder, name, user=None):
    """Rename a folder; two folders of a production never share a name. `concept-folder:update`."""
    with transaction.atomic():
        namesakes = Entity.objects.filter(
            entity_type_id=folder.entity_type_id, project_id=folder.project_id, name=name
        ).exclude(pk=folder.pk)
        if namesakes.exists():
            raise WrongParameter("A concept folder with this name already exists.")
        folder.name = name
        folder.save(update_fields=["name"])
        record_event(
            "concept-folder:update",
            {"concept_folder_id": str(folder.pk)},
            project_id=folder.project_id,
            user=user,
        )
    return folder


def remove_concept_folder(folder, user=None):
    """Delete a folder; its concepts go back to the root of the production (`concept:update`
    each), then `concept-folder:delete`."""
    with transaction.atomic():
        inside = list(Entity.objects.filter(parent=folder).values_list("pk", flat=True))
        move_concepts(folder.project_id, inside, None, user=user)
        folder_id, project_id = folder.pk, folder.project_id
        folder.delete()
        record_event(
            "concept-folder:delete", {"concept_folder_id": str(folder_id)}, project_id=project_id, user=user
        )
