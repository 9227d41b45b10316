import pytest
from django.test import RequestFactory
from django.urls import reverse

from portal.models import AccessLog
from portal.services import access_log_record
from tests.conftest import login
from tests.factories import OfficePractitionerFactory


@pytest.mark.django_db
def test_access_log_records_who_what_when_and_where(alice):
    obj = OfficePractitionerFactory(office=alice.office)
    request = RequestFactory().get("/cases/42/", REMOTE_ADDR="203.0.113.9")
    request.user = alice
    entry = access_log_record(request=request, obj=obj)
    assert entry.user == alice
    assert entry.username == "alice"
    assert entry.action == AccessLog.Action.VIEW
    assert entry.content_type.model == "officepractitioner"
    assert entry.object_id == str(obj.pk)
    assert entry.ip_address == "203.0.113.9"
    assert entry.path == "/cases/42/"
    assert entry.at is not None


@pytest.mark.django_db
def test_access_log_outlives_the_user(alice, office):
    obj = OfficePractitionerFactory(office=office)
    access_log_record(user=alice, obj=obj, action=AccessLog.Action.CHANGE)
    alice.delete()
    entry = AccessLog.objects.get()
    assert entry.user is None
    assert entry.username == "alice"


@pytest.mark.django_db
def test_plan_admin_reads_the_log_but_cannot_edit_it(client, paula, alice):
    entry = access_log_record(user=alice, obj=OfficePractitionerFactory())
    login(client, paula)
    assert client.get(reverse("admin:portal_accesslog_changelist")).status_code == 200
    assert client.get(reverse("admin:portal_accesslog_add")).status_code == 403
    assert client.post(reverse("admin:portal_accesslog_delete", args=[entry.pk])).status_code == 403


@pytest.mark.django_db
def test_admin_is_refused_to_office_users(client, alice):
    login(client, alice)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "login" in response.url
    assert client.get(reverse("admin:portal_accesslog_changelist")).status_code == 302


@pytest.mark.django_db
def test_plan_admin_does_not_manage_user_accounts_in_admin(client, paula):
    login(client, paula)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:portal_user_changelist")).status_code == 403
