"""Rows and objects rendered as their generic /data route gives them (the registered policy's shape)."""

from kitsu_server.api.json import serialize_instance, serialize_rows, serialize_table
from kitsu_server.core.data.policies import REGISTRY


def policy_for(model):
    """The generic CRUD policy serving `model`, for its shape and rules."""
    for policy in REGISTRY.values():
        if policy.model is model:
            return policy
    raise LookupError(model)


def render_rows(queryset, relations=False, shape=None):
    """Rows in the Kitsu JSON shape, one query (+1 per relation): the model's /data shape by default."""
    if shape is None:
        try:
            shape = policy_for(queryset.model).shape
        except LookupError:
            shape = None
    return serialize_rows(queryset, relations=relations, shape=shape)


def render_table(model, *order):
    """Every row of a lookup table (no filter, no relation) in its /data shape, sorted by `order`:
    its SQL compiled once per process (`serialize_table`)."""
    try:
        shape = policy_for(model).shape
    except LookupError:
        shape = None
    return serialize_table(model, order, shape=shape)


def render(instance, relations=True, access=None):
    """One object as its /data route gives it (the policy's rendering when there is one)."""
    try:
        return policy_for(type(instance)).render(instance, relations=relations, access=access)
    except LookupError:
        return serialize_instance(instance, relations=relations)
