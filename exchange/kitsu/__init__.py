"""Kitsu-to-Kitsu imports (/import/kitsu/...)."""
