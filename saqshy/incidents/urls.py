from django.urls import path

from saqshy.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("indicators/", views.response_indicators, name="indicators"),
    path("desk/queue/", views.desk_queue, name="desk-queue"),
    path("<int:pk>/card/", views.desk_card, name="desk-card"),
    path("<int:pk>/recommendations/", views.desk_recommendations, name="desk-recommendations"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.incident_action, name="action"),
]
