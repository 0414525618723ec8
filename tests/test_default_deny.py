"""Default deny: every page asks for a signed-in person unless it is one of the public pages,
marked one by one. A new view that forgets to say anything is private, not public."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Module-qualified view names that anyone may open without an account.
PUBLIC = {
    "config.health.health",
    "standards.views.unit_list",
    "standards.views.unit_detail",
    "assessments.views.witness.testimony_give",
    "assessments.views.witness_status.witness_status_confirm",
    # An invitation's emailed link: its secret opens it (someone invited may have no account yet).
    "portfolio.views.invitations.invitation_accept",
    "django.contrib.auth.views.LoginView",
    "django.contrib.auth.views.LogoutView",
    "django.contrib.auth.views.PasswordResetView",
    "django.contrib.auth.views.PasswordResetDoneView",
    "django.contrib.auth.views.PasswordResetConfirmView",
    "django.contrib.auth.views.PasswordResetCompleteView",
    # Old addresses, kept for links in emails already sent: each only redirects to its page's new
    # address, which asks for sign-in itself.
    "config.moved.moved.<locals>.view",
}


def _views(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin site asks for staff itself, and has its own sign-in page
            yield from _views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _name(callback) -> str:
    view = getattr(callback, "view_class", None) or callback
    return f"{view.__module__}.{view.__qualname__}"


def test_only_the_public_pages_are_open_without_signing_in():
    open_pages = {_name(view) for _, view in _views(get_resolver().url_patterns) if not getattr(view, "login_required", True)}
    assert open_pages == PUBLIC


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address", ["/", "/portfolio/evidence/", "/assessments/assess/", "/assessments/quality/", "/portfolio/notifications/", "/assessments/units/1/"]
)
def test_it_sends_a_stranger_to_sign_in_first(client, address):
    response = client.get(address)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={address}"


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/accounts/login/", "/accounts/password/reset/", "/standards/", "/health/"])
def test_it_opens_the_public_pages_without_an_account(client, address):
    assert client.get(address).status_code == 200
