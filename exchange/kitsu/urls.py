"""Kitsu routes of Kitsu-to-Kitsu imports (/import/kitsu/...), one line each."""

urlpatterns = []
