"""Views of the `shared` area: a guest (no account) reads a playlist through its share link's
token and, when the link allows it, comments and annotates as a guest made by that link.

Every route checks the token first (active, not expired; the password where the reference asks
for it): a revoked, expired or unknown token is the same 404. A row of another playlist or
production is never reached: previews are those the link positions, tasks those its entries
show, comments those its guests wrote."""

from django.core.files.storage import default_storage
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from files.media.downloads import send_stored
from files.media.storage import is_stored, media_key
from files.models import AttachmentFile
from files.playlists import sharing
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import serialize_instance
from kitsu_server.api.params import uuid_or_none
from kitsu_server.api.requests import validated
from kitsu_server.api.schema import rows
from people.models import Person
from tasks.comments.attachments import add_attachments, attachment_path, delete_attachment
from tasks.comments.services import render_comment
from tasks.inputs import uploaded_files
from tasks.models import Comment, Task, TaskStatus
from tasks.shared import queries, services

TAGS = ["shared"]
PASSWORD = [OpenApiParameter("password", str, description="The link's password, when it has one")]


class SharedView(APIView):
    """Base of the guest routes: no account; the link of `<token>` is `self.link`."""

    authentication_classes = []
    permission_classes = [AllowAny]
    with_password = False  # the routes where the reference asks for the link's password

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method == "OPTIONS":
            return
        self.link = sharing.valid_link(
            kwargs["token"], request.query_params.get("password"), check_password_=self.with_password
        )
        self.playlist = self.link.playlist

    def check_can_comment(self):
        if not self.link.can_comment:
            raise PermissionDenied("Comments are disabled for this link")

    def guest(self, guest_id):
        guest = sharing.guest_of_link(self.link, guest_id)
        if guest is None:
            raise PermissionDenied("Guest not part of this shared playlist")
        return guest

    def shown_tasks(self):
        return queries.shown_task_ids(queries.shared_playlist(self.playlist))


class SharedPlaylistView(SharedView):
    """`GET /shared/playlists/<token>`: the playlist as the link shares it."""

    with_password = True

    @extend_schema(parameters=PASSWORD, responses={200: OpenApiTypes.OBJECT}, tags=TAGS)
    def get(self, request, token):
        return Response(queries.shared_playlist(self.playlist))


class SharedContextView(SharedView):
    """`GET /shared/playlists/<token>/context`: the production's name, format, task types and
    statuses (no entity, no team)."""

    with_password = True

    @extend_schema(parameters=PASSWORD, responses={200: OpenApiTypes.OBJECT}, tags=TAGS)
    def get(self, request, token):
        return Response(queries.shared_context(self.playlist.project))


class GuestBody(serializers.Serializer):
    first_name = serializers.CharField(required=False, allow_blank=True, default="Guest", max_length=80)
    last_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=80)
    guest_id = serializers.UUIDField(required=False, allow_null=True)


def render_guest(guest):
    data = serialize_instance(guest)
    for secret in ("password", "otp_recovery_codes", "totp_secret", "email_otp_secret", "fido_devices"):
        data.pop(secret, None)
    return data


class SharedGuestView(SharedView):
    """`POST /shared/playlists/<token>/guest` {first_name, last_name, guest_id?}: the guest of
    this link named so (made when new: 201), or the one of `guest_id` when this link made it."""

    @extend_schema(
        request=GuestBody, responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT}, tags=TAGS
    )
    def post(self, request, token):
        body = validated(GuestBody, request.data)
        if body.get("guest_id"):
            known = sharing.guest_of_link(self.link, body["guest_id"])
            if known is not None:
                return Response(render_guest(known))
        guest, created = sharing.create_guest(self.link, body["first_name"], body["last_name"])
        return Response(render_guest(guest), status=201 if created else 200)


class GuestCommentBody(serializers.Serializer):
    guest_id = serializers.UUIDField()
    task_id = serializers.UUIDField()
    task_status_id = serializers.UUIDField()
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=100_000)
    checklist = serializers.ListField(
        child=serializers.DictField(), required=False, default=list, max_length=500
    )


class SharedCommentsView(SharedView):
    """`GET|POST /shared/playlists/<token>/comments`: the comments of the shown tasks a guest
    reads; a guest's comment on a shown task, with a status clients may set."""

    with_password = True

    @extend_schema(parameters=PASSWORD, responses={200: rows()}, tags=TAGS)
    def get(self, request, token):
        return Response(queries.guest_comments(self.shown_tasks()))

    @extend_schema(
        request=GuestCommentBody, parameters=PASSWORD, responses={201: OpenApiTypes.OBJECT}, tags=TAGS
    )
    def post(self, request, token):
        self.check_can_comment()
        body = validated(GuestCommentBody, request.data)
        guest = self.guest(body["guest_id"])
        if str(body["task_id"]) not in self.shown_tasks():
            raise PermissionDenied("Task not part of this shared playlist")
        task = Task.objects.select_related("project").get(pk=body["task_id"])
        task_status = TaskStatus.objects.filter(pk=body["task_status_id"]).first()
        if task_status is None:
            raise WrongParameter("Task status not found")
        if not queries.client_allowed_status(task.project, task_status):
            raise WrongParameter("Task status not allowed for guests")
        comment = services.post_guest_comment(guest, task, task_status, body["text"], body["checklist"])
        return Response(comment, status=201)


class GuestActionBody(serializers.Serializer):
    guest_id = serializers.UUIDField()


class EditGuestCommentBody(GuestActionBody):
    text = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=100_000)
    checklist = serializers.ListField(
        child=serializers.DictField(), required=False, allow_null=True, max_length=500
    )
    task_status_id = serializers.UUIDField(required=False, allow_null=True)


class GuestCommentMixin:
    def own_comment(self, comment_id, guest):
        """A comment of a shown task that this guest wrote (404 for any other)."""
        pk = uuid_or_none(comment_id)
        comment = Comment.objects.filter(pk=pk, person=guest).first() if pk else None
        if comment is None or str(comment.object_id) not in self.shown_tasks():
            raise NotFound("Comment not found")
        return comment, Task.objects.select_related("project").get(pk=comment.object_id)


class SharedCommentView(GuestCommentMixin, SharedView):
    """`PUT|DELETE /shared/playlists/<token>/comments/<id>`: a guest's own comment edited or
    deleted."""

    @extend_schema(request=EditGuestCommentBody, responses={200: OpenApiTypes.OBJECT}, tags=TAGS)
    def put(self, request, token, comment_id):
        self.check_can_comment()
        body = validated(EditGuestCommentBody, request.data)
        guest = self.guest(body["guest_id"])
        comment, task = self.own_comment(comment_id, guest)
        task_status = None
        if body.get("task_status_id"):
            task_status = TaskStatus.objects.filter(pk=body["task_status_id"]).first()
            if task_status is None or not queries.client_allowed_status(task.project, task_status):
                raise WrongParameter("Task status not allowed for guests")
        data = services.edit_guest_comment(
            comment,
            task,
            guest,
            text=body.get("text"),
            checklist=body.get("checklist"),
            task_status=task_status,
        )
        return Response(data)

    @extend_schema(request=GuestActionBody, responses={204: None}, tags=TAGS)
    def delete(self, request, token, comment_id):
        self.check_can_comment()
        body = validated(GuestActionBody, request.data)
        guest = self.guest(body["guest_id"])
        comment, task = self.own_comment(comment_id, guest)
        services.delete_guest_comment(comment, task, guest)
        return Response(status=204)


class GuestAnnotationsBody(serializers.Serializer):
    guest_id = serializers.UUIDField()
    preview_file_id = serializers.UUIDField()
    additions = serializers.ListField(
        child=serializers.DictField(), required=False, default=list, max_length=1000
    )
    updates = serializers.ListField(
        child=serializers.DictField(), required=False, default=list, max_length=1000
    )
    deletions = serializers.ListField(
        child=serializers.DictField(), required=False, default=list, max_length=1000
    )

    def validate(self, attrs):
        for name in ("additions", "updates", "deletions"):
            if any("time" not in item for item in attrs[name]):
                raise serializers.ValidationError({name: "Each item needs a time."})
        return attrs


class SharedAnnotationsView(SharedView):
    """`PUT /shared/playlists/<token>/annotations`: a guest's strokes on a shown preview (their
    own only are updated or deleted)."""

    @extend_schema(request=GuestAnnotationsBody, responses={200: OpenApiTypes.OBJECT}, tags=TAGS)
    def put(self, request, token):
        if not self.link.can_comment:
            raise PermissionDenied("Annotations are disabled")
        body = validated(GuestAnnotationsBody, request.data)
        guest = self.guest(body["guest_id"])
        preview = sharing.shared_preview_or_404(self.link, body["preview_file_id"])
        return Response(
            services.annotate_as_guest(preview, guest, body["additions"], body["updates"], body["deletions"])
        )


class SharedPreviewFileView(SharedView):
    """`GET /shared/playlists/<token>/preview-files/<id>`: a shown preview's row."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=TAGS)
    def get(self, request, token, preview_file_id):
        return Response(serialize_instance(sharing.shared_preview_or_404(self.link, preview_file_id)))


def shared_movie_key(preview):
    for prefix in ("previews", "lowdef"):
        key = media_key("movies", prefix, preview.pk)
        if is_stored(key):
            return key
    raise NotFound("Preview file not found.")


class SharedMediaView(SharedView):
    """A stored variant of a shown preview (ranges, conditional requests: the media layer's)."""

    def send(self, request, preview, key, content_type, as_attachment=False, name=None):
        return send_stored(
            request,
            key,
            content_type,
            last_modified=preview.updated_at,
            download_name=name,
            as_attachment=as_attachment,
        )


class SharedMovieView(SharedMediaView):
    @extend_schema(responses={(200, "video/mp4"): OpenApiTypes.BINARY}, tags=TAGS)
    def get(self, request, token, preview_file_id):
        preview = sharing.shared_preview_or_404(self.link, preview_file_id)
        return self.send(request, preview, shared_movie_key(preview), "video/mp4")


class SharedPictureView(SharedMediaView):
    prefix = None

    @extend_schema(responses={(200, "image/png"): OpenApiTypes.BINARY}, tags=TAGS)
    def get(self, request, token, preview_file_id):
        preview = sharing.shared_preview_or_404(self.link, preview_file_id)
        return self.send(request, preview, media_key("pictures", self.prefix, preview.pk), "image/png")


class SharedTileView(SharedPictureView):
    prefix = "tiles"


class SharedThumbnailView(SharedPictureView):
    prefix = "thumbnails"


class SharedOriginalPictureView(SharedPictureView):
    prefix = "original"


ORIGINAL_TYPES = {"png": "image/png", "mp4": "video/mp4", "pdf": "application/pdf"}


class SharedOriginalFileView(SharedMediaView):
    """`.../pictures/originals/preview-files/<id>.<extension>`: the file as the preview keeps it."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, tags=TAGS)
    def get(self, request, token, preview_file_id, extension):
        preview = sharing.shared_preview_or_404(self.link, preview_file_id)
        extension = extension.lower()
        if extension != "png" and extension != preview.extension:
            raise NotFound("Preview file not found.")
        if extension == "png":
            key = media_key("pictures", "original", preview.pk)
        elif extension == "mp4":
            key = shared_movie_key(preview)
        else:
            key = media_key("files", "previews", preview.pk)
        return self.send(request, preview, key, ORIGINAL_TYPES.get(extension, "application/octet-stream"))


class SharedPreviewDownloadView(SharedMediaView):
    """`.../preview-files/<id>/download`: a shown preview's file as an attachment."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, tags=TAGS)
    def get(self, request, token, preview_file_id):
        preview = sharing.shared_preview_or_404(self.link, preview_file_id)
        extension = preview.extension or ""
        if extension == "mp4":
            key = shared_movie_key(preview)
        elif extension == "png":
            key = media_key("pictures", "original", preview.pk)
        else:
            key = media_key("files", "previews", preview.pk)
        name = f"{preview.original_name or preview.name or preview.pk}.{extension}".strip(".")
        return self.send(
            request, preview, key, ORIGINAL_TYPES.get(extension, "application/octet-stream"), True, name
        )


class SharedPersonThumbnailView(SharedMediaView):
    """`.../pictures/thumbnails/persons/<id>.png`: the avatar of an author of a comment the
    link shows (nobody else's)."""

    @extend_schema(responses={(200, "image/png"): OpenApiTypes.BINARY}, tags=TAGS)
    def get(self, request, token, person_id):
        pk = uuid_or_none(person_id)
        authors = {comment["person_id"] for comment in queries.guest_comments(self.shown_tasks())}
        person = Person.objects.filter(pk=pk).first() if pk and str(pk) in authors else None
        if person is None or not person.has_avatar:
            raise NotFound("Person not found.")
        return send_stored(
            request, media_key("pictures", "thumbnails", person.pk), "image/png", person.updated_at
        )


class SharedAttachmentView(SharedView):
    """`.../attachment-files/<id>/file/<name>`: an attachment of a comment the link shows."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, tags=TAGS)
    def get(self, request, token, attachment_file_id, file_name):
        pk = uuid_or_none(attachment_file_id)
        shown = {
            attachment["id"] if isinstance(attachment, dict) else str(attachment)
            for comment in queries.guest_comments(self.shown_tasks())
            for attachment in comment.get("attachment_files", [])
        }
        attachment = AttachmentFile.objects.filter(pk=pk).first() if pk and str(pk) in shown else None
        if attachment is None:
            raise NotFound("Attachment not found")
        try:
            handle = default_storage.open(attachment_path(attachment.pk), "rb")
        except (FileNotFoundError, OSError):
            raise NotFound("Attachment not found") from None
        return FileResponse(
            handle,
            content_type=attachment.mimetype or "application/octet-stream",
            as_attachment=True,
            filename=attachment.name or file_name,
        )


class GuestUploadBody(serializers.Serializer):
    guest_id = serializers.UUIDField()
    file = serializers.FileField(help_text="One or more files, under any field names")


class SharedCommentAttachmentsView(GuestCommentMixin, SharedView):
    """`POST /shared/playlists/<token>/comments/<id>/attachments` (multipart, `guest_id` in the
    form or the query string): files attached to a guest's own comment (201, the comment)."""

    @extend_schema(
        request={"multipart/form-data": GuestUploadBody}, responses={201: OpenApiTypes.OBJECT}, tags=TAGS
    )
    def post(self, request, token, comment_id):
        self.check_can_comment()
        guest_id = request.data.get("guest_id") if hasattr(request.data, "get") else None
        guest = self.guest(guest_id or request.query_params.get("guest_id"))
        comment, _ = self.own_comment(comment_id, guest)
        files = uploaded_files(request)
        if not files:
            raise WrongParameter("No file given.")
        add_attachments(comment, files)
        comment.refresh_from_db()
        return Response(render_comment(comment), status=201)


class SharedCommentAttachmentView(GuestCommentMixin, SharedView):
    """`DELETE /shared/playlists/<token>/comments/<id>/attachments/<id>` {guest_id}: an
    attachment of a guest's own comment removed (204)."""

    @extend_schema(request=GuestActionBody, responses={204: None}, tags=TAGS)
    def delete(self, request, token, comment_id, attachment_file_id):
        self.check_can_comment()
        body = validated(GuestActionBody, request.data)
        guest = self.guest(body["guest_id"])
        comment, _ = self.own_comment(comment_id, guest)
        pk = uuid_or_none(attachment_file_id)
        attachment = AttachmentFile.objects.filter(pk=pk, comment=comment).first() if pk else None
        if attachment is None:
            raise NotFound("Comment not found")
        delete_attachment(attachment)
        return Response(status=204)
