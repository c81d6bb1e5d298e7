from django.urls import path

from saqshy.prevention import views

app_name = "prevention"

urlpatterns = [
    path("queue/", views.work_queue, name="queue"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
]
