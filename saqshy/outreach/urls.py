from django.urls import path
from django.views.generic import RedirectView

from saqshy.outreach import views

app_name = "outreach"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="outreach:campaigns"), name="index"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign-edit"),
    path("campaigns/<int:pk>/reach/", views.campaign_reach, name="campaign-reach"),
    path("campaigns/<int:pk>/<slug:action>/", views.campaign_move, name="campaign-move"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/<int:pk>/", views.meeting_edit, name="meeting"),
    path("progress/", views.progress, name="progress"),
]
