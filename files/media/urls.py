"""Kitsu routes of preview media (/pictures/..., /movies/..., /actions/preview-files/...), one line each."""

urlpatterns = []
