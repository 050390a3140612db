"""Live events: the Socket.IO stream of the Kitsu clients (server.py), the log it publishes from
and resumes from (stream.py, publisher.py), who receives what (audience.py), and the outgoing
webhooks (webhooks.py, jobs.py, views.py, admin.py).

A layer above kitsu_server.core: it uses core and the apps' models, nothing else of the apps.
"""
