"""The wizard's member step refuses dates of birth that cannot be a patient's (issue 11,
item 11)."""

import pytest

from tests.cases.test_wizard import MEMBER, build, post
from tests.conftest import login


@pytest.mark.parametrize(
    ("typed", "message"),
    [("01/01/1850", "more than 125 years ago"), ("01/01/2099", "cannot be in the future")],
)
def test_a_date_of_birth_out_of_range_is_an_error_on_the_member_step(
    client, alice, world, typed, message
):
    login(client, alice)
    token, _ = build(client, world, upto="provider")
    response = post(client, token, "member", {**MEMBER, "date_of_birth": typed})
    assert response.status_code == 200
    assert message in response.context["form"].errors["date_of_birth"][0]
    assert f'value="{typed}"' in response.content.decode()  # kept as typed
