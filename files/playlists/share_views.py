"""Views of a playlist's share links (managers of its production): list, create, revoke, invite."""

from django.core.mail import send_mail
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from files.models import Playlist
from files.playlists import sharing
from kitsu_server.api.endpoints import KitsuView
from kitsu_server.api.requests import validated
from kitsu_server.api.schema import rows
from kitsu_server.core.access import access_for
from kitsu_server.core.lookups import found_or_404
from people.models import Person

TAGS = ["data/playlists"]


def managed_playlist(request, playlist_id):
    playlist = found_or_404(Playlist, playlist_id, "Playlist not found.")
    access_for(request).check_manager(playlist.project_id)
    return playlist


class ShareLinkBody(serializers.Serializer):
    expiration_date = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=40)
    can_comment = serializers.BooleanField(required=False, default=True)
    password = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=128)


class ShareLinksView(KitsuView):
    """`GET|POST /data/playlists/<id>/share`: the active links of the playlist; a new one
    {expiration_date?, can_comment?, password?} (201)."""

    @extend_schema(responses={200: rows()}, tags=TAGS)
    def get(self, request, playlist_id):
        playlist = managed_playlist(request, playlist_id)
        links = playlist.share_links.filter(is_active=True).order_by("created_at")
        return Response([sharing.render_link(link) for link in links])

    @extend_schema(request=ShareLinkBody, responses={201: OpenApiTypes.OBJECT}, tags=TAGS)
    def post(self, request, playlist_id):
        playlist = managed_playlist(request, playlist_id)
        body = validated(ShareLinkBody, request.data)
        link = sharing.create_link(
            playlist,
            request.user,
            expiration_date=body.get("expiration_date"),
            can_comment=body["can_comment"],
            password=body.get("password"),
        )
        return Response(sharing.render_link(link), status=201)


class ShareLinkView(KitsuView):
    """`DELETE /data/playlists/<id>/share/<token>`: the link revoked at once (kept, inactive)."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, tags=TAGS)
    def delete(self, request, playlist_id, token):
        playlist = managed_playlist(request, playlist_id)
        link = sharing.link_of_playlist(playlist, token)
        return Response(sharing.render_link(sharing.revoke_link(link, request.user)))


class InviteBody(serializers.Serializer):
    emails = serializers.ListField(
        child=serializers.EmailField(), required=False, default=list, max_length=200
    )
    person_ids = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list, max_length=200
    )
    message = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=5000)


class ShareInviteView(KitsuView):
    """`POST /data/playlists/<id>/share/<token>/invite` {emails, person_ids, message}: the link
    mailed to each (persons of the production's team by their email); nothing is stored."""

    @extend_schema(request=InviteBody, responses={200: OpenApiTypes.OBJECT}, tags=TAGS)
    def post(self, request, playlist_id, token):
        playlist = managed_playlist(request, playlist_id)
        link = sharing.link_of_playlist(playlist, token)
        body = validated(InviteBody, request.data)
        team = Person.objects.filter(pk__in=body["person_ids"], projects=playlist.project_id, is_bot=False)
        recipients = sorted({*body["emails"], *[person.email for person in team if person.email]})
        url = request.build_absolute_uri(f"/shared/playlists/{link.token}")  # the web UI's page
        text = "\n\n".join(
            part for part in (body.get("message"), f"Review the playlist {playlist.name}: {url}") if part
        )
        sent = 0
        for email in recipients:
            sent += send_mail(f"[Kitsu] Playlist {playlist.name}", text, None, [email], fail_silently=True)
        return Response({"sent": sent})
