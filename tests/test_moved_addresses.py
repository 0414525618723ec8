"""Pages moved to the app that serves them; the addresses in emails already sent still lead there."""

import pytest


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/portfolio/units/12/portfolio.pdf", "/exports/units/12/portfolio.pdf"),
        ("/portfolio/centres/3/exports/", "/exports/centres/3/"),
        ("/portfolio/exports/7/", "/exports/7/"),
        ("/portfolio/exports/7/download/", "/exports/7/download/"),
        ("/portfolio/units/12/", "/assessments/units/12/"),
        ("/portfolio/units/12/decisions/", "/assessments/units/12/decisions/"),
        ("/portfolio/evidence/5/judge/", "/assessments/evidence/5/judge/"),
        ("/portfolio/assess/", "/assessments/assess/"),
        ("/portfolio/quality/", "/assessments/quality/"),
        ("/portfolio/reviews/4/actions-done/", "/assessments/reviews/4/actions-done/"),
        ("/portfolio/witness/abc-123/", "/assessments/witness/abc-123/"),
        ("/evidence/5/", "/assessments/evidence/5/"),
        ("/evidence/", "/portfolio/evidence/"),
        ("/evidence/5/map/", "/portfolio/evidence/5/map/"),
        ("/centres/3/", "/assessments/centres/3/"),
        ("/centres/3/people/new/", "/portfolio/centres/3/people/new/"),
        ("/notifications/", "/portfolio/notifications/"),
        ("/files/9/", "/portfolio/files/9/"),
    ],
)
def test_an_old_address_redirects_for_good_to_the_new_one(client, old, new):
    response = client.get(old + "?from=email")
    assert response.status_code == 301
    assert response["Location"] == new + "?from=email"


def test_the_new_address_is_the_page_itself(client):
    """No loop: the new addresses are served, not redirected again (a stranger signs in first)."""
    response = client.get("/portfolio/evidence/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_address_that_never_existed_is_not_redirected_to_a_page_that_does_not_exist(client):
    assert client.get("/centres/3/portfolios/").status_code == 404
