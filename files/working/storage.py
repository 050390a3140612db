"""Where working files' binaries are kept: the named storage "working_files" (settings.STORAGES;
a local folder, WORKING_FILE_FOLDER, by default), one object per working file, named after its
id: a client's file name never reaches the storage."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.storage import storages
from django.core.files.uploadhandler import TemporaryFileUploadHandler

STORAGE_NAME = "working_files"


def working_file_storage():
    return storages[STORAGE_NAME]


def stored_name(working_file):
    return f"working/{working_file.pk}"


def size_limit():
    """The largest working file accepted (settings.WORKING_FILE_MAX_SIZE; None: no limit)."""
    return getattr(settings, "WORKING_FILE_MAX_SIZE", None)


class LimitedDiskUploadHandler(TemporaryFileUploadHandler):
    """Uploads written to a temporary file on disk as they arrive (never whole in memory), cut
    off with a 413 as soon as a file passes the size limit."""

    def new_file(self, *args, **kwargs):
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        limit = size_limit()
        if limit is not None and self.received > limit:
            self.file.close()  # a temporary file: closing it removes it
            raise RequestDataTooBig(f"A working file is limited to {limit} bytes.")
        return super().receive_data_chunk(raw_data, start)


def store_working_file(working_file, uploaded):
    """The uploaded file as the binary of the working file, in place of the previous one."""
    storage = working_file_storage()
    name = stored_name(working_file)
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, uploaded)


def open_working_file(working_file):
    """The stored binary, opened for reading; FileNotFoundError when there is none."""
    storage = working_file_storage()
    name = stored_name(working_file)
    if not storage.exists(name):
        raise FileNotFoundError(name)
    return storage.open(name, "rb")
