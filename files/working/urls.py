"""Kitsu routes of working and output files, one line each."""

urlpatterns = []
