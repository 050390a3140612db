"""The bases of the hand-written routes (everything beyond the generic /data CRUD).

A route is a thin `KitsuView` (an APIView whose default permission is an
active person) that parses its URL ids and body (kitsu_server.api.requests),
checks access in one line through `access_for(request)` (kitsu_server.core.access),
calls a service, and answers rows rendered by the same fast path as the
generic lists (kitsu_server.core.rendering):

    class ProjectTeamView(KitsuView):
        def get(self, request, project_id):
            project, _ = team_project(request, project_id)
            return Response(render_rows(project.team.all()))

Errors are raised, never returned: `WrongParameter` (400), DRF's `NotFound`
(404) and `PermissionDenied` (403), all in the reference's error shape.
"""

from rest_framework.views import APIView

from kitsu_server.api.permissions import IsActivePerson, IsPersonIdentity


class KitsuView(APIView):
    """Base of every hand-written route: an authenticated, active person."""

    permission_classes = [IsActivePerson]


class UserView(KitsuView):
    """Base of the routes about the person calling (`/data/user/...`): no bot tokens."""

    permission_classes = [IsPersonIdentity]
