from django.urls import path

from saqshy.alarms import health_views, views

app_name = "alarms"

urlpatterns = [
    path("", views.installation_list, name="installations"),
    path("households/", views.household_list, name="households"),
    path("households/new/", views.household_create, name="household-new"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("households/<int:pk>/edit/", views.household_edit, name="household-edit"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("callbacks/<int:pk>/answer/", views.callback_answer, name="callback-answer"),
    path("health/", health_views.health_page, name="health"),
    path("health/tasks/<int:pk>/done/", health_views.task_done, name="task-done"),
    path("health/map/alarm-homes/", health_views.alarm_homes, name="map-alarm-homes"),
    path("health/map/offline/", health_views.offline_devices, name="map-offline"),
    path("health/map/coverage/", health_views.coverage, name="map-coverage"),
]
