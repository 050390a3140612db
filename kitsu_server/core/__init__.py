"""The shared domain layer: what every app uses and that uses no app's views or services.

The event log and its publisher, the access rules, the deletion machinery,
the shared row readers and lookups, the scoped view bases and the jobs
framework. It may import the apps' models, nothing else of them; apps import
it. See the README, "Architecture".
"""
