"""Writes for accounts, offices, practitioners and the access log."""

import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from portal.directory import RowError, parse_row
from portal.lib.patient_templates import mark_logged
from portal.models import AccessLog, DirectoryProvider, Office, OfficePractitioner, User
from portal.roles import Role
from portal.time_zones import zone_for_state
from portal.tokens import email_confirmation_token

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind a proxy, SECURE_PROXY_SSL_HEADER deployments set REMOTE_ADDR via the WSGI server.
    return request.META.get("REMOTE_ADDR") or None


def access_log_record(
    *,
    obj: models.Model,
    action: str = AccessLog.Action.VIEW,
    request: HttpRequest | None = None,
    user: User | None = None,
    detail: str = "",
    path: str | None = None,
) -> AccessLog:
    """Record that a user read or changed a patient-bearing object. Call on every such read."""
    actor = user if user is not None else getattr(request, "user", None)
    if actor is not None and not actor.is_authenticated:
        actor = None
    mark_logged(request, type(obj), obj.pk)  # the page drawing it need not log it again
    return AccessLog.objects.create(
        user=actor,
        username=actor.get_username() if actor else "(anonymous)",
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        ip_address=client_ip(request),
        # `path`: where the object was shown, when that is not the address requested.
        path=(path or (request.get_full_path() if request is not None else ""))[:300],
        detail=detail[:300],
    )


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(*, user: User, subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, {"user": user, **context})
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:
        # The account is already saved: a mail outage must not turn into an error page. The
        # user can ask for a new link (confirmation) or the admin can invite again.
        logger.exception("could not send %r to user %s", subject, user.pk)


def email_confirmation_send(*, user: User) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    url = _link(reverse("confirm_email", kwargs={"uidb64": uid, "token": token}))
    _send(
        user=user,
        subject="Confirm your email address for the Imaging Precert Portal",
        template="registration/emails/confirm_email.txt",
        context={"url": url},
    )


def office_register(*, office_data: dict, user_data: dict, password: str) -> User | None:
    """Create an office and its first user (its administrator), and send the confirmation link.

    A User ID already in use (in any letter case) creates nothing and returns None: the address
    given is told by email instead, so the page answers the same whether the ID exists or not.
    """
    username = user_data["username"]
    taken = User.objects.filter(username__iexact=username).exists()
    if not taken:
        try:
            with transaction.atomic():
                # The office starts in its state's time zone; its administrator can change it.
                office = Office.objects.create(
                    time_zone=zone_for_state(office_data["state"]), **office_data
                )
                user = User(office=office, role=Role.OFFICE_ADMIN, **user_data)
                user.set_password(password)
                user.save()  # the case-insensitive unique constraint settles a race
        except IntegrityError:
            taken = True
    if taken:
        probe = User(
            username=username, email=user_data["email"], first_name=user_data["first_name"]
        )
        transaction.on_commit(
            lambda: _send(
                user=probe,
                subject="Your Imaging Precert Portal registration",
                template="registration/emails/registration_taken.txt",
                context={"url": _link(reverse("register")), "login_url": _link(reverse("login"))},
            )
        )
        return None
    transaction.on_commit(lambda: email_confirmation_send(user=user))
    return user


def email_confirm(*, user: User) -> None:
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])


def office_user_invite(*, office: Office, invited_by: User, data: dict) -> User:
    """Create an office user with no password yet and email a link to choose one."""
    role = data.pop("role")
    if role not in (Role.OFFICE_STAFF, Role.OFFICE_ADMIN):
        raise ValidationError("An office user is office staff or an office administrator.")
    user = User(office=office, role=role, invited_by=invited_by, **data)
    _invitation_send(user=user, sent_by=invited_by)
    return user


@transaction.atomic
def office_user_invitation_resend(*, actor: User, target: User) -> None:
    """Mail an invitation again with a new link, valid for a day from now; any earlier link
    (expired, or sent to a mistyped address and corrected since) stops working."""
    if target.has_usable_password():
        raise ValidationError(
            f"{target.get_full_name()} already chose a password: they can log in, or reset it."
        )
    if not target.is_active:
        raise ValidationError("Reactivate the account before sending the invitation again.")
    _invitation_send(user=target, sent_by=actor)


def _invitation_send(*, user: User, sent_by: User) -> None:
    # The link's token is made from the password hash: a new unusable password (a new random
    # one) voids every link made before it.
    user.set_unusable_password()
    user.invited_at = timezone.now()
    user.save(update_fields=["password", "invited_at"] if user.pk else None)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    url = _link(reverse("invitation_accept", kwargs={"uidb64": uid, "token": token}))
    transaction.on_commit(
        lambda: _send(
            user=user,
            subject=f"{sent_by.get_full_name()} invited you to the Imaging Precert Portal",
            template="registration/emails/invitation.txt",
            context={"url": url, "office": user.office, "invited_by": sent_by},
        )
    )


def _check_not_last_admin(*, target: User) -> None:
    if target.role != Role.OFFICE_ADMIN or not target.is_active:
        return
    # Locked, so two admins deactivating each other at once cannot both pass this check.
    admins = User.objects.select_for_update().filter(
        office=target.office, role=Role.OFFICE_ADMIN, is_active=True
    )
    others = any(pk != target.pk for pk in admins.values_list("pk", flat=True))
    if not others:
        raise ValidationError("An office needs at least one active administrator.")


@transaction.atomic
def office_user_set_active(*, actor: User, target: User, active: bool) -> None:
    if target.pk == actor.pk:
        raise ValidationError("You cannot deactivate your own account.")
    if not active:
        _check_not_last_admin(target=target)
    target.is_active = active
    target.save(update_fields=["is_active"])


@transaction.atomic
def office_user_remove(*, actor: User, target: User) -> bool:
    """Remove the account; one that submitted cases or uploaded documents stays on record
    (who submitted or attested what must still be known) and is deactivated instead. Returns
    whether the account was removed."""
    if target.pk == actor.pk:
        raise ValidationError("You cannot remove your own account.")
    _check_not_last_admin(target=target)
    try:
        with transaction.atomic():
            target.delete()
    except ProtectedError:
        target.is_active = False
        target.save(update_fields=["is_active"])
        return False
    return True


def office_practitioner_add(
    *, office: Office, provider: DirectoryProvider, added_by: User
) -> OfficePractitioner:
    try:
        with transaction.atomic():
            return OfficePractitioner.objects.create(
                office=office, provider=provider, added_by=added_by
            )
    except IntegrityError as exc:
        raise ValidationError(f"{provider.display_name} is already on your account.") from exc


def office_practitioner_remove(*, link: OfficePractitioner) -> None:
    link.delete()


@dataclass
class DirectoryImportResult:
    created_or_updated: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


_DIRECTORY_UPDATE_FIELDS = [
    f.name
    for f in DirectoryProvider._meta.concrete_fields
    # modalities are kept by hand (NPPES does not carry them): a new monthly file keeps them.
    if f.name not in ("id", "npi", "created", "modalities")
]


def directory_import(
    *, rows: Iterable[dict[str, str]], batch_size: int = 5000
) -> DirectoryImportResult:
    """Upsert NPPES-format rows into the provider directory (insert new NPIs, refresh known ones).

    Rows that cannot be used are skipped and reported; one bad row never stops the import.
    """
    result = DirectoryImportResult()
    batch: dict[str, DirectoryProvider] = {}

    def flush() -> None:
        if not batch:
            return
        now = timezone.now()
        for obj in batch.values():
            obj.modified = now
        DirectoryProvider.objects.bulk_create(
            list(batch.values()),
            update_conflicts=True,
            unique_fields=["npi"],
            update_fields=_DIRECTORY_UPDATE_FIELDS,
        )
        result.created_or_updated += len(batch)
        batch.clear()

    for line_no, raw in enumerate(rows, start=2):  # line 1 is the header
        try:
            row = parse_row(raw)
        except RowError as exc:
            result.skipped += 1
            if len(result.errors) < 100:
                result.errors.append(f"line {line_no}: {exc}")
            continue
        batch[row.npi] = DirectoryProvider(**asdict(row))
        if len(batch) >= batch_size:
            flush()
    flush()
    return result
