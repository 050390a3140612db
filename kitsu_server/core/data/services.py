"""The writes of `/data/<path>`: each in one transaction with the policy's hooks and its event.

The viewset validates the body and checks the person's rights first; these write what was
validated and answer the row as its route renders it (the data its event carries).
"""

from django.db import transaction

from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.trash.units import trashing_if_kept


def create_row(policy, access, row, instance=None):
    """A new row from a validated `RowInput` (or the existing one the policy updates instead).
    `instance`: the unsaved row to fill (the back-office's form object, maybe a typed proxy)."""
    with transaction.atomic():
        values = policy.prepare_create(access, row.columns)
        instance = policy.existing_for_create(access, values) or instance or policy.model()
        assign(policy, instance, values)
        instance.save()
        set_relations(policy, instance, row.relations)
        policy.apply_inputs(access, instance, row.inputs, values, created=True)
        policy.after_write(access, instance, created=True)
        data = policy.render(instance, relations=True, access=access)
        policy.emit("new", data, access.person)
    return data


def update_row(policy, access, instance, changes):
    """`instance` changed by a validated `RowInput` (what differs from the row)."""
    with transaction.atomic():
        values = policy.prepare_update(access, instance, changes.columns)
        assign(policy, instance, values)
        instance.save()
        set_relations(policy, instance, changes.relations)
        policy.apply_inputs(access, instance, changes.inputs, values, created=False)
        policy.after_write(access, instance, created=False)
        data = policy.render(instance, relations=True, access=access)
        policy.emit("update", data, access.person)
    return data


def delete_row(policy, access, instance, params):
    """`instance` removed by the policy (`params`: the query string, e.g. `force=true`); a task,
    an entity, a comment, a playlist or a project goes to the trash (see core.trash)."""
    with transaction.atomic(), trashing_if_kept(instance, access.person):
        data = policy.render(instance, relations=False)
        policy.delete(access, instance, params)
        policy.emit("delete", data, access.person)


def assign(policy, instance, values):
    for column, value in values.items():
        field = policy.fields_by_column[column]
        setattr(instance, field.name, value)


def set_relations(policy, instance, relation_values):
    for name, ids in relation_values.items():
        field = policy.relations[name]
        related = field.related_model._base_manager.filter(pk__in=ids)
        found = set(related.values_list("pk", flat=True))
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise WrongParameter(f"{name} refers to unknown ids: {', '.join(missing)}.")
        getattr(instance, name).set(list(found))
