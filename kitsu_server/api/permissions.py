"""The DRF permission classes of every API route: who may call at all (the access rules of each
project, entity and task are `kitsu_server.core.access`)."""

from rest_framework.permissions import BasePermission


class IsActivePerson(BasePermission):
    """An authenticated, active person (the default for every API route)."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)


class IsPersonIdentity(IsActivePerson):
    """An active person on their own session or API token; a bot's token is refused (the routes
    of `/data/user` and `/actions/user`, about the person calling)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        token = request.auth
        return not (hasattr(token, "get") and token.get("identity_type") == "bot")
