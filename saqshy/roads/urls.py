from django.urls import path

from saqshy.roads import views

app_name = "roads"

urlpatterns = [
    path("", views.segment_list, name="segments"),
    path("<int:pk>/", views.segment_detail, name="segment-detail"),
    path("<int:pk>/close/", views.segment_close, name="segment-close"),
    path("<int:pk>/reopen/", views.segment_reopen, name="segment-reopen"),
    path("<int:pk>/edit/", views.segment_edit, name="segment-edit"),
    path("closures/", views.closure_list, name="closures"),
    path("route/", views.route_planner, name="route"),
]
