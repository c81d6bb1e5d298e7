from django.urls import path

from saqshy.protection import views

app_name = "protection"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.assessment_new, name="new"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/answers/", views.assessment_answers, name="answers"),
    path("<int:pk>/complete/", views.assessment_complete, name="complete"),
    path("<int:pk>/findings/", views.finding_add, name="finding-add"),
    path("findings/<int:pk>/fix/", views.finding_fix, name="finding-fix"),
]
