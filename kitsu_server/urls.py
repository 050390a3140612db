"""Root URL table: the Kitsu API under /api (one include per app), the admin under /admin."""

from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from kitsu_server import views
from kitsu_server.core.data.routers import data_router
from kitsu_server.routing import indexed_include, kitsu_path
from people.admin import AdminLoginForm

admin.site.site_header = "Kitsu back-office"
admin.site.site_title = "Kitsu back-office"
admin.site.index_title = "Production data"
# The API login's lockout, failure count and second factor hold at the back-office's door too.
admin.site.login_form = AdminLoginForm
admin.site.login_template = "people/admin_login.html"

ROUTE_MODULES = (
    "kitsu_server.status_urls",
    "people.auth.urls",
    "people.sso.urls",
    "people.persons.urls",
    "people.departments.urls",
    "people.user.urls",
    "people.filters.urls",
    "productions.urls",
    "productions.project_settings.urls",
    "productions.schedules.urls",
    "productions.project_templates.urls",
    "budgets.urls",
    "assets.urls",
    "assets.entities.urls",
    "assets.breakdown.urls",
    "assets.concepts.urls",
    "shots.urls",
    "shots.episodes.urls",
    "shots.sequences.urls",
    "shots.scenes.urls",
    "shots.quotas.urls",
    "shots.edits.urls",
    "tasks.urls",
    "tasks.assignations.urls",
    "tasks.previews.urls",
    "tasks.time_spents.urls",
    "tasks.todos.urls",
    "tasks.comments.urls",
    "tasks.news.urls",
    "tasks.events.urls",
    "tasks.inbox.urls",
    "tasks.shared.urls",
    "files.media.urls",
    "files.playlists.urls",
    "files.working.urls",
    "exchange.exports.urls",
    "exchange.csv_imports.urls",
    "exchange.shotgrid.urls",
    "exchange.kitsu.urls",
    "kitsu_server.core.urls",
    "kitsu_server.core.doctor.urls",
    "kitsu_server.core.trash.urls",
    "kitsu_server.core.explain.urls",
    "kitsu_server.live.urls",
)

api_urlpatterns = [
    kitsu_path("/", views.IndexView.as_view(), name="index"),
    kitsu_path(
        "/openapi.json",
        # JSON whatever the Accept header, as application/json unless asked for the OpenAPI type.
        SpectacularJSONAPIView.as_view(
            permission_classes=[], renderer_classes=[OpenApiJsonRenderer2, OpenApiJsonRenderer]
        ),
        name="openapi-schema",
    ),
    kitsu_path(
        "/docs",
        SpectacularSwaggerView.as_view(url_name="openapi-schema", permission_classes=[]),
        name="openapi-docs",
    ),
    # Specific routes first: "/data/projects/open" is not the project of id "open".
    *(path("", include(module)) for module in ROUTE_MODULES),
    *data_router().urls,
]

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    re_path(r"^api$", views.IndexView.as_view()),  # the root without its slash
    indexed_include("api/", api_urlpatterns),  # resolved among the routes its path may match
]
