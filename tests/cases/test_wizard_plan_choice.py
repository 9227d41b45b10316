"""The plan choice says what to do when the member's plan is not offered (issue 11, item 14).
Alice builds; Charlie, of another office, gets a 404 for Alice's request."""

import pytest

from tests.cases.test_wizard import start, step_url
from tests.conftest import login


def test_the_plan_choice_says_to_call_the_number_on_the_id_card(client, alice, charlie, world):
    login(client, alice)
    token = start(client)
    html = client.get(step_url(token, "provider")).content.decode()
    assert "If your health plan is not listed, call the number on the member's ID card." in html
    client.logout()
    login(client, charlie)
    assert client.get(step_url(token, "provider")).status_code == 404


def test_the_lock_in_page_warns_that_an_unsubmitted_request_expires(client, alice, charlie, world):
    from tests.cases.test_wizard import build

    login(client, alice)
    token, _ = build(client, world, upto="confirm")
    html = client.get(step_url(token, "confirm")).content.decode()
    assert "A request that is not submitted expires with no correspondence." in html
    client.logout()
    login(client, charlie)
    assert client.get(step_url(token, "confirm")).status_code == 404


def test_the_determination_shows_the_secondary_diagnosis(client, alice, charlie, world):
    from tests.cases.test_wizard import KNEE, build

    login(client, alice)
    _, response = build(client, world, service={**KNEE, "secondary_diagnosis": "M54.50"})
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "Secondary diagnosis" in html and "M54.50 Low back pain, unspecified" in html
    client.logout()
    login(client, charlie)
    assert client.get(response.url).status_code == 404


@pytest.mark.parametrize("step", ["provider", "member", "service", "site", "confirm"])
def test_every_wizard_page_offers_print(client, alice, charlie, world, step):
    from tests.cases.test_wizard import build

    login(client, alice)
    token, _ = build(client, world, upto=step)
    assert "data-print-page" in client.get(step_url(token, step)).content.decode()
    client.logout()
    login(client, charlie)
    assert client.get(step_url(token, step)).status_code == 404
