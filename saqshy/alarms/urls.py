from django.urls import path

from saqshy.alarms import views

app_name = "alarms"

urlpatterns = [
    path("", views.installation_list, name="installations"),
    path("households/", views.household_list, name="households"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("callbacks/<int:pk>/answer/", views.callback_answer, name="callback-answer"),
]
