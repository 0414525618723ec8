from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portfolio.forms import SignInForm

urlpatterns = [
    path("", include("portfolio.urls")),
    path("standards/", include("standards.urls")),
    path("portfolio/", include("assessments.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=SignInForm, redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
