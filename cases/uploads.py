"""Clinical uploads: up to five .pdf/.doc/.docx files of 5 MB, checked by content, not by name.

Stored under server-generated names in private storage (never a served folder), SHA-256 recorded.
"""

import hashlib
import io
import time
import uuid
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from cases.models import Attachment, Draft

MAX_FILES = 5
MAX_NAME = 200  # characters of the user's file name kept (Attachment.original_name holds 255)
MAX_BYTES = settings.UPLOAD_MAX_FILE_BYTES  # 5 MB; the upload handler stops reading there too
MAX_DOCX_UNCOMPRESSED = 50 * 1024 * 1024  # a zip bomb stops here
PDF_MAGIC = b"%PDF-"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc (Compound File Binary)
ZIP_MAGIC = b"PK\x03\x04"
KINDS = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class UploadError(ValueError):
    pass


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    content: bytes
    content_type: str
    sha256: str


def too_large(name: str) -> str:
    return f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB."


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot != -1 else ""


def check_upload(uploaded) -> CheckedFile:
    """Read and check one uploaded file, or raise UploadError with a message for the user."""
    name = (uploaded.name or "file").replace("\\", "/").rsplit("/", 1)[-1]
    ext = _extension(name)  # of the whole name: shortening must not cut it off
    if len(name) > MAX_NAME:
        name = name[: MAX_NAME - len(ext)] + name[-len(ext) :] if ext in KINDS else name[:MAX_NAME]
    if ext not in KINDS:
        raise UploadError(f"{name}: only .pdf, .doc and .docx files can be uploaded.")
    if uploaded.size is not None and uploaded.size > MAX_BYTES:
        raise UploadError(too_large(name))
    content = uploaded.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise UploadError(too_large(name))
    if not content:
        raise UploadError(f"{name} is empty.")
    if ext == ".pdf" and not content.startswith(PDF_MAGIC):
        raise UploadError(
            f"{name} is not a PDF file (only its name ends in .pdf): save or export it as a PDF "
            "and upload it again."
        )
    if ext == ".doc" and not content.startswith(OLE_MAGIC):
        raise UploadError(
            f"{name} is not a Word .doc file (only its name ends in .doc): save it from Word, or "
            "as a PDF, and upload it again."
        )
    if ext == ".docx":
        _check_docx(name, content)
    return CheckedFile(name, ext, content, KINDS[ext], hashlib.sha256(content).hexdigest())


def _check_docx(name: str, content: bytes) -> None:
    if not content.startswith(ZIP_MAGIC):
        raise UploadError(
            f"{name} is not a Word .docx file (only its name ends in .docx): save it from Word, "
            "or as a PDF, and upload it again."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if "word/document.xml" not in {m.filename for m in members}:
                raise UploadError(f"{name} is a zip file but not a Word document.")
            if sum(m.file_size for m in members) > MAX_DOCX_UNCOMPRESSED:
                raise UploadError(f"{name} expands to more than 50 MB: it cannot be accepted.")
            # The sizes above are what the file says of itself. Reading every part checks them:
            # zipfile stops a part at its stated size, and a part that holds more (or other)
            # data than it says fails its CRC. So at most 50 MB is ever inflated.
            if archive.testzip() is not None:
                raise UploadError(f"{name} is damaged and cannot be read.")
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise UploadError(f"{name} is damaged and cannot be read.") from exc
    except (RuntimeError, NotImplementedError) as exc:  # encrypted, or compressed oddly
        raise UploadError(
            f"{name} is password-protected or saved in a way that cannot be read: save it "
            "again from Word, or as a PDF, and upload it again."
        ) from exc


def attachments_add(*, draft, user, files) -> tuple[list[Attachment], list[str]]:
    """Store the acceptable files on the draft; return what was stored and why others were not."""
    with transaction.atomic():
        # A second click of Submit may get here after the first one submitted the draft (its
        # files went to the case with it): nothing is added to a submitted draft.
        locked = Draft.objects.select_for_update().only("submitted_case").get(pk=draft.pk)
        if locked.submitted_case_id is not None:
            return [], []
        return _attachments_store(user, files, draft=draft)


def case_attachments_add(*, case, user, files) -> tuple[list[Attachment], list[str]]:
    """Documents sent after submission (an answer to a request for information): the same
    checks as the wizard's, MAX_FILES more each time."""
    return _attachments_store(user, files, case=case)


def _attachments_store(user, files, *, draft=None, case=None) -> tuple[list[Attachment], list[str]]:
    stored, errors = [], []
    room = MAX_FILES - (draft.attachments.count() if draft is not None else 0)
    for uploaded in files:
        if room <= 0:
            errors.append(f"{uploaded.name}: at most {MAX_FILES} files can be uploaded.")
            continue
        try:
            checked = check_upload(uploaded)
        except UploadError as exc:
            errors.append(str(exc))
            continue
        stored_name = f"{uuid.uuid4().hex}{checked.extension}"
        attachment = Attachment(
            draft=draft,
            case=case,
            original_name=checked.name,
            stored_name=stored_name,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=checked.sha256,
            uploaded_by=user,
        )
        attachment.file.save(stored_name, ContentFile(checked.content), save=False)
        attachment.save()
        stored.append(attachment)
        room -= 1
    return stored, errors


ORPHAN_AGE_SECONDS = 3600  # older than any upload still being written


def attachment_orphans_sweep(*, now: float | None = None) -> int:
    """Delete stored files no attachment row names: a crash between writing a file and saving its
    row (the row rolls back, the file stays) must not leave a patient document behind for ever.
    Only files older than an hour: one being stored right now has no row yet."""
    from django.core.files.storage import default_storage

    now = now if now is not None else time.time()
    try:
        _, names = default_storage.listdir("attachments")
    except FileNotFoundError:
        return 0
    swept = 0
    for start in range(0, len(names), 500):
        batch = names[start : start + 500]
        known = set(
            Attachment.objects.filter(stored_name__in=batch).values_list("stored_name", flat=True)
        )
        swept += _sweep(default_storage, [n for n in batch if n not in known], now)
    return swept


def _sweep(storage, names, now) -> int:
    swept = 0
    for name in names:
        path = f"attachments/{name}"
        if now - storage.get_modified_time(path).timestamp() < ORPHAN_AGE_SECONDS:
            continue
        storage.delete(path)
        swept += 1
    return swept
