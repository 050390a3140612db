"""Kitsu routes of CSV exports (/export/csv/...), one line each."""

urlpatterns = []
