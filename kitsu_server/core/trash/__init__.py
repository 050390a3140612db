"""The trash: deletions kept for a while, restored or purged whole (routes `/api/trash...`).

`units.py` records what a deletion removes (used by `kitsu_server.core.deletion`), `services.py`
restores and purges, `views.py` / `urls.py` serve the routes; the models are in
`kitsu_server.core.trash_models`.
"""
