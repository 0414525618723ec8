from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path

from assessments.views import home
from config.health import health
from config.moved import moved
from portfolio.forms.people import PasswordResetByEmailForm, SignInForm

# Django's own password views, under the names its views and templates reverse.
password_urlpatterns = [
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetByEmailForm),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

# Addresses pages had before they moved to the app that serves them. Emails already sent carry
# them, so they redirect for good (301), keeping the rest of the path and the query string.
moved_urlpatterns = [
    # Before /portfolio/ held the candidate's own pages, it held the assessment pages.
    re_path(r"^portfolio/evidence/(?P<pk>[0-9]+)/judge/$", moved("/assessments/evidence/%(pk)s/judge/")),
    re_path(r"^portfolio/units/(?P<pk>[0-9]+)/portfolio\.pdf$", moved("/exports/units/%(pk)s/portfolio.pdf")),
    re_path(r"^portfolio/centres/(?P<pk>[0-9]+)/exports/$", moved("/exports/centres/%(pk)s/")),
    re_path(r"^portfolio/exports/(?P<rest>.*)$", moved("/exports/%(rest)s")),
    re_path(
        r"^portfolio/(?P<rest>(units|assess|quality|reviews|decisions|witness)/.*)$",
        moved("/assessments/%(rest)s"),
    ),
    # The candidate's and the centre's pages were at the root.
    re_path(r"^evidence/(?P<pk>[0-9]+)/$", moved("/assessments/evidence/%(pk)s/")),
    re_path(r"^centres/(?P<pk>[0-9]+)/$", moved("/assessments/centres/%(pk)s/")),
    re_path(r"^(?P<rest>centres/[0-9]+/(people|enrolments)/new/)$", moved("/portfolio/%(rest)s")),
    re_path(r"^(?P<rest>(evidence|notifications|files)/.*)$", moved("/portfolio/%(rest)s")),
]

urlpatterns = [
    *moved_urlpatterns,
    path("health/", health, name="health"),
    # Each person's home: what they have to do next, whatever their roles (assessments knows both
    # the portfolio and its assessment).
    path("", home.home, name="home"),
    # Each app's pages under its own name, in its own namespace.
    path("standards/", include("standards.urls")),
    path("portfolio/", include("portfolio.urls")),
    path("assessments/", include("assessments.urls")),
    path("exports/", include("exports.urls")),
    path("ops/", include("ops.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True),
        name="login",
    ),
    # Signing out is open to anyone: someone whose session has already expired who presses "Sign out"
    # is signed out, not sent to sign in first (and then back to a page that takes only a POST).
    path("accounts/logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    *password_urlpatterns,
    path("admin/", admin.site.urls),
]

# A request too long to read gets a page that says so (config/bad_request.py).
handler400 = "config.bad_request.bad_request"
