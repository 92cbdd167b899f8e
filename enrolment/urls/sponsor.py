"""/sponsor/: the sponsor's children, their shared reports and photos, and yearly statements."""

from django.urls import path

from enrolment.views import sponsor

urlpatterns = [
    path("sponsor/", sponsor.home, name="sponsor"),
    path("sponsor/children/<int:pk>/", sponsor.child, name="sponsor_child"),
    path(
        "sponsor/children/<int:pk>/reports/<int:report_pk>/",
        sponsor.report,
        name="sponsor_report",
    ),
    path("sponsor/children/<int:pk>/photo/", sponsor.child_photo, name="sponsor_child_photo"),
    path("sponsor/statement/<int:year>/", sponsor.statement, name="sponsor_statement"),
    path(
        "sponsor/statement/<int:year>.xlsx", sponsor.statement_xlsx, name="sponsor_statement_xlsx"
    ),
    path(
        "sponsor/statement/<int:year>.pdf",
        sponsor.statement_pdf_download,
        name="sponsor_statement_pdf",
    ),
]
