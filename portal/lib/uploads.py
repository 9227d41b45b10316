"""Uploads are read no further than the portal would keep: a file over the limit is skipped while
the request is parsed (never written to a temporary file in full) and the rest of the form still
arrives. Its name is left on `request.uploads_too_large` so the page can say which file it was.
Files past the first MAX_FILES_READ of one post are skipped unread, their names left on
`request.uploads_not_read`: the post still arrives whole, with a message, never a bare 400."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

MAX_FILES_READ = 20  # a request keeps five documents; a few more get a message each


class FileSizeLimitHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: passes each chunk on until a file exceeds the limit, and
    skips every file past the first MAX_FILES_READ."""

    def handle_raw_input(self, *args, **kwargs) -> None:
        self.files_seen = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.files_seen = getattr(self, "files_seen", 0) + 1
        if self.files_seen > MAX_FILES_READ:
            not_read = getattr(self.request, "uploads_not_read", [])
            self.request.uploads_not_read = [*not_read, self.file_name or "file"]
            raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_FILE_BYTES:
            too_large = getattr(self.request, "uploads_too_large", [])
            self.request.uploads_too_large = [*too_large, self.file_name or "file"]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers build the file
