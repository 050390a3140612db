"""Share links of playlists: made and revoked by the production's managers, checked on every
guest request (active, not expired, the password when it has one), and what a link shows: its
playlist's positioned previews, never another project's rows."""

import datetime
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import NotFound

from files.models import Playlist, PlaylistShareLink, PreviewFile
from kitsu_server.api.errors import WrongParameter
from kitsu_server.api.json import serialize_instance
from kitsu_server.api.params import is_uuid, uuid_or_none
from kitsu_server.core.events import record_event
from people.models import Person

LINK_NOT_FOUND = "Playlist share link not found."


def expiration_of(value):
    """The instant a link stops working: a day names the whole day (its last second), a
    timestamp is taken as given (UTC when naive)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise WrongParameter(f"{value} is not a valid ISO 8601 date")
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        day = None
    if day is not None:
        moment = datetime.datetime.combine(day, datetime.time.max)
    else:
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise WrongParameter(f"{value} is not a valid ISO 8601 date") from None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def render_link(link):
    """A link as the API shows it: the password's hash never leaves the server."""
    data = serialize_instance(link)
    del data["password"]
    data["has_password"] = bool(link.password)
    return data


def create_link(playlist, author, expiration_date=None, can_comment=True, password=None):
    with transaction.atomic():
        link = PlaylistShareLink.objects.create(
            token=secrets.token_urlsafe(32),
            playlist=playlist,
            created_by=author,
            expiration_date=expiration_of(expiration_date),
            can_comment=can_comment,
            password=make_password(password) if password else None,
        )
        record_event(
            "playlist-share-link:new",
            {"playlist_id": str(playlist.pk), "share_link_id": str(link.pk)},
            project_id=playlist.project_id,
            user=author,
        )
    return link


def revoke_link(link, user=None):
    """Deactivated, not deleted: every request with its token is refused from now on."""
    with transaction.atomic():
        PlaylistShareLink.objects.filter(pk=link.pk).update(is_active=False, updated_at=timezone.now())
        link.refresh_from_db()
        record_event(
            "playlist-share-link:revoke",
            {"playlist_id": str(link.playlist_id), "share_link_id": str(link.pk)},
            project_id=link.playlist.project_id,
            user=user,
        )
    return link


def link_of_playlist(playlist, token):
    """The link of `token`, only when it is one of `playlist`'s (else a 404)."""
    link = PlaylistShareLink.objects.filter(token=str(token)[:64], playlist=playlist).first()
    if link is None:
        raise NotFound(LINK_NOT_FOUND)
    return link


def valid_link(token, password=None, check_password_=False):
    """The link of `token` when it may be used now: active, not expired, and with its password
    when one is set and asked for. Anything else is the same 404 (a guest learns nothing)."""
    link = (
        PlaylistShareLink.objects.select_related("playlist")
        .filter(token=str(token)[:64], is_active=True)
        .first()
    )
    if link is None or link.playlist.project_id is None:
        raise NotFound(LINK_NOT_FOUND)
    if link.expiration_date is not None and timezone.now() > link.expiration_date:
        raise NotFound(LINK_NOT_FOUND)
    if check_password_ and link.password and not (password and check_password(password, link.password)):
        raise NotFound(LINK_NOT_FOUND)
    return link


def positioned_previews(playlist):
    """The previews a link shows: each entry's positioned preview, and the other previews of the
    same task and revision (a revision of several files)."""
    ids = [shot.get("preview_file_id") for shot in playlist.shots or [] if isinstance(shot, dict)]
    ids = [str(pk) for pk in ids if pk]
    positioned = PreviewFile.objects.filter(pk__in=[pk for pk in ids if is_uuid(pk)]).values_list(
        "task_id", "revision"
    )
    pairs = set(positioned)
    if not pairs:
        return PreviewFile.objects.none()
    task_ids = {task_id for task_id, _ in pairs}
    candidates = PreviewFile.objects.filter(task_id__in=task_ids).values_list("pk", "task_id", "revision")
    return PreviewFile.objects.filter(pk__in=[pk for pk, task, rev in candidates if (task, rev) in pairs])


def shared_preview_or_404(link, preview_file_id):
    """A preview the link shows (404 otherwise, and for an id that is not one)."""
    pk = uuid_or_none(preview_file_id)
    preview = positioned_previews(link.playlist).filter(pk=pk).first() if pk else None
    if preview is None:
        raise NotFound("Preview file not found.")
    return preview


def guest_of_link(link, guest_id):
    """The guest `guest_id` made through this link (a guest of another link is nobody here)."""
    pk = uuid_or_none(guest_id)
    guest = Person.objects.filter(pk=pk, is_guest=True).first() if pk else None
    if guest is None or (guest.data or {}).get("share_link_id") != str(link.pk):
        return None
    return guest


def create_guest(link, first_name, last_name=""):
    """The guest of this link with that name, made when new: a client without a password or
    email of their own, bound to the link."""
    first_name = (first_name or "Guest").strip()[:80] or "Guest"
    last_name = (last_name or "").strip()[:80]
    for guest in Person.objects.filter(is_guest=True, first_name=first_name, last_name=last_name):
        if (guest.data or {}).get("share_link_id") == str(link.pk):
            return guest, False
    with transaction.atomic():
        guest = Person(
            first_name=first_name,
            last_name=last_name,
            email=f"guest-{secrets.token_hex(6)}@guest.kitsu",
            role="client",
            is_guest=True,
            data={"share_link_id": str(link.pk)},
        )
        guest.set_unusable_password()
        guest.save()
        record_event("person:new", {"person_id": str(guest.pk)})
    return guest, True


def shared_playlist(link):
    return Playlist.objects.get(pk=link.playlist_id)
