"""Kitsu routes of ShotGrid push imports (/import/shotgun/...), one line each."""

urlpatterns = []
