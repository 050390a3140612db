"""Kitsu routes of CSV and OTIO imports (/import/csv/..., /import/otio/...), one line each."""

urlpatterns = []
