"""A person's request to see what the centre holds about them (PDPO's sixth principle): one
file with everything, readable (a PDF) and machine-readable (JSON), made by a coordinator from
the learner's record and recorded in the access log.

Case references and caseworker notes are the person's data too, and belong in their copy; but
the copy is made, and first read, by whoever downloads it. So a caseworker's copy has them,
and a coordinator's says only that one is recorded and that a caseworker can give a copy with
it: the download is no way around the rule that only caseworkers read them.
"""

import io
import json
import zipfile

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.storage import default_storage
from django.utils import timezone, translation

from enrolment import access
from enrolment.models import AccessAction, Learner
from enrolment.services.access_log import access_log_record
from enrolment.services.subject_access.document import learner_data_pdf
from enrolment.services.subject_access.records import WITHHELD, plain
from enrolment.services.subject_access.sections import SECTIONS

__all__ = ["learner_data_collect", "learner_data_export", "ACCESS_LOG_WHAT"]

ACCESS_LOG_WHAT = "Data access request"
FORMAT = "learner-data/1"
# The file is read at the centre's desk with the person: English, like the staff's screens.
LANGUAGE = "en"


def learner_data_collect(*, learner: Learner, include_sensitive: bool) -> dict:
    """Everything held about `learner`, section by section, as plain JSON values."""
    with translation.override(LANGUAGE):
        return {
            "format": FORMAT,
            "learner_number": learner.learner_number,
            "name": learner.preferred_name,
            "generated_at": plain(timezone.now()),
            "restricted_fields_included": include_sensitive,
            "restricted_fields_note": "" if include_sensitive else str(WITHHELD),
            "sections": [section(learner, include_sensitive).as_dict() for section in SECTIONS],
        }


def learner_data_filename(*, learner: Learner) -> str:
    # The learner number, not the name: the file travels, and its name is seen first.
    return f"data-{learner.learner_number}-{timezone.localdate():%Y-%m-%d}.zip"


def _photo(learner: Learner) -> tuple[str, bytes] | None:
    """The learner's photo as the centre keeps it (its pixels only), named photo.<extension>;
    None without one, or if the file is missing from storage (the JSON still says one is
    recorded)."""
    if not learner.photo:
        return None
    try:
        with default_storage.open(learner.photo.name, "rb") as photo:
            content = photo.read()
    except OSError:
        return None
    extension = learner.photo.name.rsplit(".", 1)[-1].lower()
    return f"photo.{extension}", content


def learner_data_export(*, learner: Learner, by: AbstractBaseUser) -> tuple[str, bytes]:
    """The ZIP a coordinator hands to the person: data.json and data.pdf, the same data, and
    their photo if one is on file. The download is recorded in the access log (and so appears
    in the next copy)."""
    data = learner_data_collect(
        learner=learner, include_sensitive=access.can_see_sensitive_fields(by)
    )
    with translation.override(LANGUAGE):
        pdf = learner_data_pdf(data=data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("data.pdf", pdf)
        photo = _photo(learner)
        if photo is not None:
            archive.writestr(*photo)
    access_log_record(
        user=by, action=AccessAction.DOWNLOADED, learner=learner, what=ACCESS_LOG_WHAT
    )
    return learner_data_filename(learner=learner), buffer.getvalue()
