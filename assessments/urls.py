from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("units/<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
]
