from django.urls import path

from saqshy.winter import views

app_name = "winter"

urlpatterns = [
    path("stranded/", views.stranded_list, name="stranded"),
    path("stranded/<int:pk>/", views.stranded_detail, name="stranded-detail"),
    path("stranded/<int:pk>/<str:step>/", views.stranded_step, name="stranded-step"),
    path("points/", views.point_list, name="points"),
    path("points/<int:pk>/", views.point_detail, name="point-detail"),
    path("points/<int:pk>/occupancy/", views.point_occupancy, name="point-occupancy"),
    path("standby/", views.standby_list, name="standby"),
]
