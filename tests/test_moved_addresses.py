"""Pages moved to the app that serves them; the addresses in emails already sent still lead there."""

import pytest


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/portfolio/units/12/portfolio.pdf", "/exports/units/12/portfolio.pdf"),
        ("/portfolio/centres/3/exports/", "/exports/centres/3/"),
        ("/portfolio/exports/7/", "/exports/7/"),
        ("/portfolio/exports/7/download/", "/exports/7/download/"),
    ],
)
def test_an_old_address_redirects_for_good_to_the_new_one(client, old, new):
    response = client.get(old + "?from=email")
    assert response.status_code == 301
    assert response["Location"] == new + "?from=email"
