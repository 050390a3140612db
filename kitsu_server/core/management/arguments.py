"""What management commands share to read their arguments."""

import uuid

from django.core.management.base import CommandError

from productions.models import Project


def find_project(text):
    """The production a command's argument names: its id, or its name (any case)."""
    try:
        project = Project.objects.filter(pk=uuid.UUID(text)).first()
    except ValueError:
        project = None
    if project is not None:
        return project
    matches = list(Project.objects.filter(name__iexact=text.strip())[:2])
    if not matches:
        raise CommandError(f"No project named {text!r}.")
    if len(matches) > 1:
        raise CommandError(f"Several projects named {text!r}: give its id.")
    return matches[0]
