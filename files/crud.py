"""The `/data/...` routes of this app: one policy per model (see kitsu_server.api.crud)."""

from files.models import (
    AttachmentFile,
    FileStatus,
    OutputFile,
    OutputType,
    Playlist,
    PreviewBackgroundFile,
    PreviewFile,
    WorkingFile,
)
from kitsu_server.api.crud import CrudPolicy, register


@register
class PreviewFilesPolicy(CrudPolicy):
    model = PreviewFile
    path = "preview-files"


@register
class PreviewBackgroundFilesPolicy(CrudPolicy):
    model = PreviewBackgroundFile
    path = "preview-background-files"


@register
class AttachmentFilesPolicy(CrudPolicy):
    model = AttachmentFile
    path = "attachment-files"


@register
class OutputFilesPolicy(CrudPolicy):
    model = OutputFile
    path = "output-files"


@register
class OutputTypesPolicy(CrudPolicy):
    model = OutputType
    path = "output-types"


@register
class WorkingFilesPolicy(CrudPolicy):
    model = WorkingFile
    path = "working-files"


@register
class FileStatusPolicy(CrudPolicy):
    model = FileStatus
    path = "file-status"


@register
class PlaylistsPolicy(CrudPolicy):
    model = Playlist
    path = "playlists"
