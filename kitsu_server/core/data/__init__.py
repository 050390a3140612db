"""The generic `/data/<model>` routes, driven by one registry of model policies.

Each app declares, in its `crud.py`, one `CrudPolicy` subclass per model it serves under
`/data/...` (`policies.register`): the path, and only what differs from the reference's base
behaviour (admins only, every column, `<table>:new|update|delete` events). One viewset serves
them all, routed to Kitsu's paths by one router:

- `GET /data/<path>`: list; query-string keys that are columns filter by equality (a JSON list
  means "in", `null` no value), `name` is case-insensitive, many-to-many names filter by
  membership, `relations=true` adds relation id lists, `page` / `limit` paginate into the
  reference's envelope, `fields` picks columns. Rows the person may not see are left out.
- `POST /data/<path>`: create from JSON (201), validated by a serializer built from the model;
  many-to-many id lists are set in the same transaction.
- `GET|PUT|DELETE /data/<path>/<id>`: read (with relations), update (200, `id`/`created_at`/
  `updated_at`/`project_id` are not writable), delete (204; 400 naming the dependent rows when
  others still reference it).

A body may carry any key: what is no writable column, relation or extra input of the policy
(read-only, computed, hidden or unknown: what a client sends back of a read) is ignored, as the
reference's updates do; a writable one with a wrong value is a 400 naming it.

Modules: `policies` (the registry and the base rules), `filters` (the query string: a django-filter
FilterSet per policy), `inputs` (bodies: serializers built from the model), `services` (the writes,
their transaction, hooks and events), `pagination`, `viewsets` (the one viewset), `routers`
(Kitsu's paths for every registered policy), `schema` (the OpenAPI of it all).
"""
