from django.urls import path

from saqshy.duty import views

app_name = "duty"

urlpatterns = [
    path("", views.post_list, name="posts"),
    path("posts/<int:pk>/", views.post_detail, name="post"),
    path("personnel/", views.person_list, name="personnel"),
    path("personnel/new/", views.person_create, name="person-create"),
    path("personnel/import/", views.person_import, name="person-import"),
    path("personnel/<int:pk>/", views.person_detail, name="person"),
    path("personnel/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("personnel/<int:pk>/absences/", views.absence_add, name="absence-add"),
    path("absences/<int:pk>/remove/", views.absence_remove, name="absence-remove"),
    path("readiness/", views.readiness, name="readiness"),
    path("readiness/<int:pk>/end/", views.readiness_end, name="readiness-end"),
]
