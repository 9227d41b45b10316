"""An attachment's file goes with its row: uploaded documents hold patient data, and a row deleted
anywhere (a cancelled request, an expired draft, the admin) must not leave its file on disk."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from cases.models import Attachment


@receiver(post_delete, sender=Attachment, dispatch_uid="cases.attachment_file_delete")
def attachment_file_delete(sender, instance: Attachment, **kwargs) -> None:
    if not instance.file:
        return
    storage, name = instance.file.storage, instance.file.name
    # After the commit: a rolled-back delete keeps its row, and so must keep its file.
    transaction.on_commit(lambda: storage.delete(name))
