from django.urls import path

from saqshy.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("open/", views.report_open, name="open"),
    path("board/", views.board, name="board"),
    path("national/", views.national, name="national"),
    path("national.pdf", views.national, {"fmt": "pdf"}, name="national-pdf"),
    path("national.xlsx", views.national, {"fmt": "xlsx"}, name="national-xlsx"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/narratives/<int:agency_id>/", views.narrative_edit, name="narrative"),
    path("<int:pk>/report.pdf", views.report_export, {"fmt": "pdf"}, name="pdf"),
    path("<int:pk>/report.xlsx", views.report_export, {"fmt": "xlsx"}, name="xlsx"),
    path("<int:pk>/<slug:action>/", views.report_action, name="action"),
]
