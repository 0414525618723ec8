from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from assessments.views import centre, evidence, home
from config.health import health
from portfolio.forms import PasswordResetByEmailForm, SignInForm

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

urlpatterns = [
    path("health/", health, name="health"),
    # Pages that show portfolio records with their assessment, so they live in assessments, at
    # the addresses they have always had.
    path("", home.home, name="home"),
    path("evidence/<int:pk>/", evidence.evidence_detail, name="evidence_detail"),
    path("centres/<int:centre_id>/", centre.centre_detail, name="centre_detail"),
    path("", include("portfolio.urls")),
    path("standards/", include("standards.urls")),
    path("portfolio/", include("assessments.urls")),
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
