"""What the paper register's tests share: reading and writing workbooks, importing one into
the `english` class's register, and the marks saved."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from enrolment.models import Attendance, AttendanceChange
from enrolment.services.register_sheets import register_workbook
from enrolment.services.register_uploads import register_import


def heading(session) -> str:
    return f"{session.date:%Y-%m-%d} {session.start_time:%H:%M}"


def load(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def save(workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(data: bytes, name: str = "register.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def run_import(english, data: bytes, by, name: str = "register.xlsx"):
    return register_import(run=english.run, file=upload(data, name), by=by)


def filled(english, cells: dict[str, object]) -> bytes:
    """The downloaded register with some cells typed in."""
    workbook = load(register_workbook(run=english.run))
    for where, value in cells.items():
        workbook["Register"][where] = value
    return save(workbook)


def marks():
    return dict(
        Attendance.objects.values_list("enrolment__learner__preferred_name", "status").order_by()
    )


def assert_nothing_saved(before=None):
    assert marks() == (before or {})
    assert not AttendanceChange.objects.exists()
