from zoneinfo import ZoneInfo

import django.utils.timezone
from django.db import migrations, models


def answered_for_from_what_was_known(apps, schema_editor):
    """Cases before the planned date: the rules were applied on the date of service, or on the
    day of submission in the office's time zone."""
    Case = apps.get_model("cases", "Case")
    for case in Case.objects.filter(answered_for__isnull=True).select_related("office"):
        day = case.date_of_service or case.submitted_at.astimezone(
            ZoneInfo(case.office.time_zone)
        ).date()
        Case.objects.filter(pk=case.pk).update(answered_for=day)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_attachment_goes_with_its_draft"),
        ("portal", "0002_office_time_zone"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="date_of_service",
            field=models.DateField(
                blank=True,
                help_text="The date it was performed (retrospective), else the planned date; "
                "empty: TBD.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="answered_for",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(answered_for_from_what_was_known, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="case",
            name="answered_for",
            field=models.DateField(default=django.utils.timezone.localdate),
        ),
    ]
