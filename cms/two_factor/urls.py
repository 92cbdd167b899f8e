from django.urls import path

from cms.two_factor import views

urlpatterns = [
    path("", views.verify, name="two_factor_verify"),
    path("setup/", views.setup, name="two_factor_setup"),
]
