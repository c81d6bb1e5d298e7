from django.urls import path

from saqshy.duty import views
from saqshy.duty.patrols import views as patrol_views
from saqshy.duty.readiness import views as readiness_views
from saqshy.duty.rosters import views as plan_views

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
    path("readiness/", readiness_views.readiness, name="readiness"),
    path("readiness/<int:pk>/end/", readiness_views.readiness_end, name="readiness-end"),
    path("plan/", plan_views.plan, name="plan"),
    path("plan/runs/<int:pk>/", plan_views.plan_run, name="plan-run"),
    path("plan/runs/<int:pk>/status/", plan_views.plan_run_status, name="plan-run-status"),
    path("personnel/<int:pk>/sick/", plan_views.report_sick, name="report-sick"),
    path("personnel/<int:pk>/roster.ics", plan_views.person_ics, name="person-ics"),
    path("posts/<int:pk>/roster.pdf", plan_views.post_pdf, name="post-pdf"),
    path("patrol-plans/", patrol_views.patrol_plans, name="patrol-plans"),
    path("patrol-plans/<int:pk>/", patrol_views.patrol_plan, name="patrol-plan"),
    path("patrol-plans/<int:pk>/sheet/", patrol_views.patrol_sheet, name="patrol-sheet"),
]
