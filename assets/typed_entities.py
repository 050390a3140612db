"""Reads of the typed entities (concepts, concept folders, edits: entities of one fixed kind):
their lists as the reference serializes them, and the filter of their boards. The boards
themselves are in assets.concepts.queries and shots.edits.queries."""

from collections import defaultdict

from assets.models import Entity, EntityConceptLink
from assets.queries import (
    ENTITY_RELATIONS,
    assigned_entity_ids,
    entity_shape,
    filter_by_criteria,
    hidden_metadata_fields,
)
from kitsu_server.api.json import serialize_rows
from kitsu_server.core.data.policies import REGISTRY
from productions.models import Project

# --- typed entity lists (concepts, concept folders, edits) -----------------------------------


def of_kind(kind):
    """The entities of one fixed kind ("Concept", "ConceptFolder", "Edit")."""
    return Entity.objects.filter(entity_type__name=kind)


def project_names(rows):
    ids = {row["project_id"] for row in rows}
    return {str(pk): name for pk, name in Project.objects.filter(pk__in=ids).values_list("pk", "name")}


def concept_links(entities):
    """{entity id: ids of the entities its concept links point at} (one query; `entities` is a
    queryset, used as a subquery)."""
    result = defaultdict(list)
    pairs = EntityConceptLink.objects.filter(entity_in__in=entities.values("pk")).values_list(
        "entity_in_id", "entity_out_id"
    )
    for entity_in_id, entity_out_id in pairs:
        result[str(entity_in_id)].append(str(entity_out_id))
    return result


def typed_rows(queryset, kind, with_concept_links=False, relations=False):
    """Entities as the reference serializes them under `kind` (a concept with the ids its concept
    links point at), by name."""
    queryset = queryset.order_by("name", "pk")
    rows = serialize_rows(queryset, relations=relations, shape=entity_shape())
    links = concept_links(queryset) if with_concept_links and rows and not relations else {}
    for row in rows:
        row["type"] = kind
        if with_concept_links and not relations:
            row["entity_concept_links"] = links.get(row["id"], [])
    return rows


def project_entities(project_id, kind, assigned_to=None):
    """A production's entities of one kind (those holding a task of `assigned_to` when given)."""
    queryset = of_kind(kind).filter(project_id=project_id)
    if assigned_to is not None:
        queryset = queryset.filter(pk__in=assigned_entity_ids(assigned_to))
    return typed_rows(queryset, kind, with_concept_links=kind == "Concept")


def listed_entities(kind, criteria, person):
    """`GET /data/concepts` and `/data/edits`: entities of a kind filtered by the query string's
    columns and relations (`assigned_to`: only those holding a task of the person), each with its
    production's name."""
    criteria = dict(criteria)
    assigned = criteria.pop("assigned_to", None) is not None
    criteria.pop("entity_type_id", None)
    queryset = filter_by_criteria(of_kind(kind), criteria, ENTITY_RELATIONS)
    if assigned:
        queryset = queryset.filter(pk__in=assigned_entity_ids(person))
    rows = typed_rows(queryset, kind, with_concept_links=kind == "Concept")
    names = project_names(rows)
    for row in rows:
        row["project_name"] = names.get(row["project_id"])
    return rows


def hide_metadata(rows, kind, departments, project_id=None):
    """Rows without the custom fields a vendor of `departments` may not read (None: not a vendor)."""
    if departments is None or not rows:
        return rows
    hidden = hidden_metadata_fields(kind, departments, {row.get("project_id") or project_id for row in rows})
    for row in rows:
        masked = hidden.get(str(row.get("project_id") or project_id), ())
        row["data"] = {key: value for key, value in (row["data"] or {}).items() if key not in masked}
    return rows


# --- what a concept or edit board lists --------------------------------------------------------


class BoardFilter:
    """What a board lists: one entity (`entity_id`), a production, an episode ("main": the
    entities of no episode, "all": every one), only what `person` is assigned to."""

    def __init__(self, entity_id=None, project_id=None, episode_id=None, assigned=False):
        self.entity_id = entity_id
        self.project_id = project_id
        self.episode_id = episode_id
        self.assigned = assigned

    def apply(self, queryset, person):
        if self.entity_id is not None:
            queryset = queryset.filter(pk=self.entity_id)
        if self.project_id is not None:
            queryset = queryset.filter(project_id=self.project_id)
        if self.episode_id == "main":
            queryset = queryset.filter(parent_id__isnull=True)
        elif self.episode_id not in (None, "all"):
            queryset = queryset.filter(parent_id=self.episode_id)
        if self.assigned:
            queryset = queryset.filter(pk__in=assigned_entity_ids(person))
        return queryset

    def assigned_person(self, person):
        """Whose tasks the board keeps: the person's when it lists only theirs, else everyone's."""
        return person if self.assigned else None


def render_typed(entity, kind):
    """An entity as the reference's `serialize(obj_type=kind)` writes it (a concept with the ids
    its concept links point at)."""
    data = REGISTRY["entities"].render(entity, relations=False)
    data["type"] = kind
    if kind == "Concept":
        data["entity_concept_links"] = [
            str(pk) for pk in entity.entity_concept_links.values_list("pk", flat=True)
        ]
    return data
