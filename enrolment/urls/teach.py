"""/teach/: the teachers' classes, registers and results."""

from django.urls import path

from enrolment.views import class_messages, paper_registers, results, teach

urlpatterns = [
    path("teach/", teach.teach, name="teach"),
    path("teach/sessions/<int:pk>/", teach.register, name="teach_register"),
    path("teach/runs/<int:pk>/register.xlsx", paper_registers.register_xlsx, name="teach_run_xlsx"),
    path(
        "teach/runs/<int:pk>/register/print/",
        paper_registers.register_print,
        name="teach_run_print",
    ),
    path(
        "teach/runs/<int:pk>/register/upload/",
        paper_registers.register_upload,
        name="teach_run_upload",
    ),
    path("teach/runs/<int:pk>/results/", results.run_results, name="teach_run_results"),
    path("teach/runs/<int:pk>/message/", class_messages.run_message, name="teach_run_message"),
]
