from django.urls import path

from saqshy.lifelines import views

app_name = "lifelines"

urlpatterns = [
    path("", views.outage_list, name="outages"),
    path("outages/<int:pk>/", views.outage_detail, name="outage-detail"),
    path("outages/<int:pk>/restore/", views.outage_restore, name="outage-restore"),
    path("sites/", views.site_list, name="sites"),
    path("sites/<int:pk>/", views.site_detail, name="site-detail"),
]
