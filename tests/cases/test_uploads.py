import hashlib
import io
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Attachment, Case
from cases.uploads import MAX_BYTES, UploadError, attachments_add, check_upload
from tests.cases.test_wizard import CHRONIC, build, post
from tests.conftest import login

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _docx(extra_bytes: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if extra_bytes:
            archive.writestr("word/media/huge.bin", b"\0" * extra_bytes)
    return buffer.getvalue()


def _lying_docx(real: int, declared: int) -> bytes:
    """A .docx whose document part says it holds `declared` bytes but inflates to `real`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * real)
    data = bytearray(buffer.getvalue())
    # The uncompressed size sits 22 bytes into the local header, 24 into the central entry.
    for signature, size_at, name_len_at, name_at in (
        (b"PK\x03\x04", 22, 26, 30),
        (b"PK\x01\x02", 24, 28, 46),
    ):
        start = 0
        while (i := data.find(signature, start)) != -1:
            length = struct.unpack_from("<H", data, i + name_len_at)[0]
            if bytes(data[i + name_at : i + name_at + length]) == b"word/document.xml":
                struct.pack_into("<I", data, i + size_at, declared)
            start = i + 4
    return bytes(data)


def _docx_flagged(*, encrypted: bool = False, method: int | None = None) -> bytes:
    """A small .docx whose entries say they are encrypted, or use a compression zipfile lacks."""
    data = bytearray(_docx())
    for signature, flags_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (i := data.find(signature, start)) != -1:
            if encrypted:
                data[i + flags_at] |= 1
            if method is not None:
                data[i + method_at : i + method_at + 2] = method.to_bytes(2, "little")
            start = i + 4
    return bytes(data)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", b"MZ\x90\x00 this is an exe", "not a PDF"),
        ("notes.pdf", b"", "empty"),
        ("notes.txt", b"hello", "only .pdf, .doc and .docx"),
        ("letter.doc", PDF, "not a Word .doc"),
        ("letter.docx", PDF, "not a Word .docx"),
        ("other.docx", b"PK\x03\x04" + b"\0" * 40, "damaged"),
        ("bomb.docx", _docx(extra_bytes=60 * 1024 * 1024), "expands to more than 50 MB"),
        ("liar.docx", _lying_docx(real=200 * 1024 * 1024, declared=1000), "damaged"),
        ("locked.docx", _docx_flagged(encrypted=True), "password-protected"),
        ("odd.docx", _docx_flagged(method=99), "password-protected or saved in a way"),
        ("big.pdf", PDF + b"0" * MAX_BYTES, "larger than 5 MB"),
    ],
)
def test_bad_files_are_refused_by_content(name, content, message):
    with pytest.raises(UploadError, match=message):
        check_upload(SimpleUploadedFile(name, content))


def test_good_files_pass_with_their_hash():
    checked = check_upload(SimpleUploadedFile("mri order.PDF", PDF))
    assert checked.content_type == "application/pdf"
    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()
    assert check_upload(SimpleUploadedFile("note.docx", _docx())).extension == ".docx"


@pytest.mark.django_db
def test_at_most_five_files_and_server_names(alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from cases.services import draft_create

    draft = draft_create(user=alice)
    files = [SimpleUploadedFile(f"../../etc/note{n}.pdf", PDF) for n in range(6)]
    stored, errors = attachments_add(draft=draft, user=alice, files=files)
    assert len(stored) == 5 and len(errors) == 1 and "at most 5" in errors[0]
    for attachment in stored:
        assert attachment.original_name.startswith("note")  # no path from the client
        assert attachment.stored_name.endswith(".pdf") and "note" not in attachment.stored_name
        assert (tmp_path / "attachments" / attachment.stored_name).read_bytes() == PDF


def test_urgent_with_a_good_upload_goes_through_and_keeps_the_file(
    client, alice, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    data = {
        "urgency": "urgent",
        "attest": "on",
        "action": "next",
        "files": [
            SimpleUploadedFile("clinic-note.pdf", PDF),
            SimpleUploadedFile("x.pdf", b"not pdf"),
        ],
    }
    data.update({f"pw-{k}": v for k, v in CHRONIC.items()})
    from django.urls import reverse

    response = client.post(reverse("case_step", args=[token, "clinical"]), data)
    # The bad file is refused with a message; the good one is kept; nothing else is lost.
    assert response.status_code == 200
    assert "x.pdf is not a PDF file" in response.content.decode()
    assert Attachment.objects.filter(draft__token=token).count() == 1
    response = post(
        client,
        token,
        "clinical",
        {"urgency": "urgent", "attest": "on", **{f"pw-{k}": v for k, v in CHRONIC.items()}},
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.urgency == "urgent" and case.attachments.count() == 1


def test_a_long_name_keeps_its_extension():
    checked = check_upload(SimpleUploadedFile("scan " * 60 + "final.pdf", PDF))  # 309 characters
    assert checked.extension == ".pdf"
    assert checked.name.endswith(".pdf") and len(checked.name) <= 200
    with pytest.raises(UploadError, match="only .pdf"):
        check_upload(SimpleUploadedFile("note " * 60 + ".exe", PDF))


def test_stored_files_are_private_to_the_portal(alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    from cases.services import draft_create

    draft = draft_create(user=alice)
    [attachment], _ = attachments_add(
        draft=draft, user=alice, files=[SimpleUploadedFile("note.pdf", PDF)]
    )
    path = tmp_path / "private" / "attachments" / attachment.stored_name
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_the_expiry_job_sweeps_files_whose_row_was_never_written(alice, settings, tmp_path):
    """A crash between writing a file and committing its row leaves a file nothing names."""
    import os
    import time

    from cases.services import draft_create
    from cases.tasks import expire_drafts

    settings.MEDIA_ROOT = tmp_path
    draft = draft_create(user=alice)
    [kept], _ = attachments_add(
        draft=draft, user=alice, files=[SimpleUploadedFile("note.pdf", PDF)]
    )
    folder = tmp_path / "attachments"
    fresh = folder / ("1" * 32 + ".pdf")
    orphan = folder / ("0" * 32 + ".pdf")
    orphan.write_bytes(PDF)
    fresh.write_bytes(PDF)  # being stored right now: its row is not committed yet
    hours_ago = time.time() - 2 * 3600
    os.utime(orphan, (hours_ago, hours_ago))
    os.utime(folder / kept.stored_name, (hours_ago, hours_ago))
    expire_drafts()
    assert not orphan.exists()
    assert fresh.exists() and (folder / kept.stored_name).exists()


def test_too_many_files_in_one_post_say_so_and_keep_the_post(
    client, alice, charlie, world, settings, tmp_path
):
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path
    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    files = [SimpleUploadedFile(f"note{n}.pdf", PDF) for n in range(25)]
    data = {"urgency": "standard", "notes": "Seen twice in clinic.", "action": "next"}
    response = client.post(reverse("case_step", args=[token, "clinical"]), {**data, "files": files})
    assert response.status_code == 200
    html = response.content.decode()
    assert "at most 5 documents can be uploaded" in html
    assert response.context["form"]["notes"].value() == "Seen twice in clinic."  # kept
    assert Attachment.objects.filter(draft__token=token).count() == 5
    login(client, charlie)  # another office's user cannot post to it at all
    refused = client.post(reverse("case_step", args=[token, "clinical"]), {**data, "files": files})
    assert refused.status_code == 404
