"""Routes of the pictures of persons, projects, the organisation and preview backgrounds:
uploads (multipart `file`) and downloads."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from files.media.downloads import not_found, send_stored
from files.media.schemas import PNG, MediaUploadBody
from files.media.storage import media_key
from files.media.thumbnails import set_row_thumbnail, store_preview_background
from files.models import PreviewBackgroundFile
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.errors import WrongParameter, error_response
from kitsu_server.api.json import serialize_instance
from kitsu_server.core.access import access_for
from kitsu_server.core.data.policies import REGISTRY
from kitsu_server.core.lookups import found_or_404, project_or_404
from people.models import Organisation, Person

THUMBNAIL_PATH = {201: OpenApiTypes.OBJECT}
TAGS = ["pictures"]


def uploaded_file(request):
    uploaded = request.FILES.get("file")
    if uploaded is None:
        raise WrongParameter("File not provided.")
    return uploaded


def send_thumbnail(request, row):
    """A row's picture (404 until it has one)."""
    if not row.has_avatar:
        raise not_found()
    return send_stored(request, media_key("pictures", "thumbnails", row.pk), "image/png", row.updated_at)


class RowThumbnailView(KitsuView):
    """Base of the picture routes of a person, a project, the organisation: GET for anyone
    logged in (projects: their team and managers), POST (see `check_post`)."""

    parser_classes = [MultiPartParser]
    kind = None

    def row(self, instance_id):
        raise NotImplementedError

    def check_get(self, access, row):
        pass

    def check_post(self, access, row):
        access.check_admin()

    @extend_schema(responses=PNG, tags=TAGS)
    def get(self, request, instance_id):
        row = self.row(instance_id)
        self.check_get(access_for(request), row)
        return send_thumbnail(request, row)

    @extend_schema(request={"multipart/form-data": MediaUploadBody}, responses=THUMBNAIL_PATH, tags=TAGS)
    def post(self, request, instance_id):
        row = self.row(instance_id)
        self.check_post(access_for(request), row)
        project_id = row.pk if self.kind == "project" else None
        return Response(
            set_row_thumbnail(row, uploaded_file(request), self.kind, request.user, project_id), 201
        )


class PersonThumbnailView(RowThumbnailView):
    """`/pictures/thumbnails/persons/{instance_id}[.png]`: a person's avatar; the person or an
    admin uploads it."""

    kind = "person"

    def row(self, instance_id):
        return found_or_404(Person, instance_id, "Person not found.")

    def check_post(self, access, row):
        if row.pk != access.person.pk:
            access.check_admin()


class OrganisationThumbnailView(RowThumbnailView):
    """`/pictures/thumbnails/organisations/{instance_id}[.png]`: the organisation's logo (the one
    organisation of the instance, whatever the id says, as on the reference); admins upload it."""

    kind = "organisation"

    def row(self, instance_id):
        organisation = Organisation.objects.order_by("created_at", "pk").first()
        if organisation is None:
            raise not_found()
        return organisation


class ProjectThumbnailView(RowThumbnailView):
    """`/pictures/thumbnails/projects/{instance_id}`: a project's picture; its managers upload it,
    its team reads it."""

    kind = "project"

    def row(self, instance_id):
        return project_or_404(instance_id)

    def check_get(self, access, row):
        if access.role not in ("admin", "manager"):
            access.check_project_access(row.pk)

    def check_post(self, access, row):
        access.check_manager(row.pk)


class ProjectThumbnailDisplayView(ProjectThumbnailView):
    """`/pictures/thumbnails/projects/{instance_id}.png`: reads only (a POST is a 405 pointing at
    the upload route, as on the reference)."""

    @extend_schema(request=None, responses={405: OpenApiTypes.OBJECT}, tags=TAGS)
    def post(self, request, instance_id):
        return error_response(
            "Upload project thumbnails on the url without extension: "
            "/pictures/thumbnails/projects/<project_id>.",
            405,
        )


# --- preview backgrounds --------------------------------------------------------------------


def background_or_404(instance_id):
    return found_or_404(PreviewBackgroundFile, instance_id, "Preview background file not found.")


class PreviewBackgroundUploadView(KitsuView):
    """`POST /pictures/preview-background-files/{instance_id}` (multipart `file`, an HDR): admins;
    201 and the preview background file."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": MediaUploadBody}, responses={201: OpenApiTypes.OBJECT}, tags=TAGS
    )
    def post(self, request, instance_id):
        access_for(request).check_admin()
        background = background_or_404(instance_id)
        background = store_preview_background(background, uploaded_file(request), request.user)
        shape = REGISTRY["preview-background-files"].shape
        return Response(serialize_instance(background, shape=shape), status=201)


class PreviewBackgroundFileView(KitsuView):
    """`GET /pictures/preview-background-files/{instance_id}.{extension}`: the HDR file (its
    stored extension only)."""

    @extend_schema(responses={(200, "image/vnd.radiance"): OpenApiTypes.BINARY}, tags=TAGS)
    def get(self, request, instance_id, extension):
        background = background_or_404(instance_id)
        if not background.extension or background.extension != extension.lower():
            raise not_found()
        return send_stored(
            request,
            media_key("pictures", "preview-backgrounds", background.pk),
            "image/vnd.radiance",
            background.updated_at,
            download_name=f"{background.original_name or background.pk}.{background.extension}",
        )


class PreviewBackgroundThumbnailView(KitsuView):
    """`/pictures/thumbnails/preview-background-files/{instance_id}.png`: its thumbnail (a POST
    is a 405 pointing at the upload route)."""

    @extend_schema(responses=PNG, tags=TAGS)
    def get(self, request, instance_id):
        background = background_or_404(instance_id)
        return send_stored(
            request, media_key("pictures", "thumbnails", background.pk), "image/png", background.updated_at
        )

    @extend_schema(request=None, responses={405: OpenApiTypes.OBJECT}, tags=TAGS)
    def post(self, request, instance_id):
        return error_response(
            "Preview backgrounds are uploaded through "
            "/pictures/preview-background-files/<preview_background_file_id>.",
            405,
        )
