"""Team membership, written from two areas: the team routes and the assignations (assigning a
task to someone outside the production's team makes them a member, as on the reference)."""

from django.utils import timezone

from kitsu_server.api.errors import WrongParameter
from kitsu_server.core.events import record_event
from productions.models import Project, ProjectPersonLink


def join_team(project, person, user=None):
    """`person` joins the team of `project` if not in it yet: the project is saved (its
    `updated_at` moves) and announced (`project:update`). A preview account belongs to its own
    project only. Returns whether they joined."""
    if person.preview_project_id is not None and person.preview_project_id != project.pk:
        raise WrongParameter("A preview account can only belong to its own project")
    # get_or_create inserts in a savepoint: a concurrent request may add them first.
    _, created = ProjectPersonLink.objects.get_or_create(project=project, person=person)
    if created:
        project.updated_at = timezone.now()
        Project.objects.filter(pk=project.pk).update(updated_at=project.updated_at)
        record_event("project:update", {}, project_id=project.pk, user=user)
    return created
