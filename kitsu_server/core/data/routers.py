"""The routes of every registered policy, as Kitsu spells them (routes.tsv):

    data/<path>                 list (GET), create (POST)       name "<path>-list"
    data/<path>/<instance_id>   retrieve (GET), update (PUT),   name "<path>-detail"
                                destroy (DELETE)

with and without a trailing slash ("-" of a path is "_" in a route's name). A list route takes
only the policy's `list_methods` (a few link tables only take POST); a method a route lacks is a
405 (kitsu_server.api.http answers it before authentication).
"""

from rest_framework.routers import Route, SimpleRouter

from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.data.viewsets import DataViewSet

LIST_ACTIONS = {"get": "list", "post": "create"}
DETAIL_ACTIONS = {"get": "retrieve", "put": "update", "delete": "destroy"}


class DataRouter(SimpleRouter):
    """A DRF router of `DataViewSet.serving(policy)` classes, one per policy."""

    def __init__(self):
        super().__init__()
        self.trailing_slash = "/?"  # Kitsu's routes answer with and without it

    def register_policy(self, policy):
        basename = policy.path.replace("-", "_")
        self.register(f"data/{policy.path}", DataViewSet.serving(policy), basename=basename)

    def get_routes(self, viewset):
        list_methods = viewset.policy.list_methods
        return [
            Route(
                url=r"^{prefix}{trailing_slash}$",
                mapping={method: LIST_ACTIONS[method] for method in list_methods},
                name="{basename}-list",
                detail=False,
                initkwargs={},
            ),
            Route(
                url=r"^{prefix}/{lookup}{trailing_slash}$",
                mapping=DETAIL_ACTIONS,
                name="{basename}-detail",
                detail=True,
                initkwargs={},
            ),
        ]


def data_router():
    """The router of every registered policy (the apps' crud modules register them on ready())."""
    router = DataRouter()
    for policy in REGISTRY.values():
        router.register_policy(policy)
    return router
