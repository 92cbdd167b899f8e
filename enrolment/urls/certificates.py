"""Certificates: the holder's web page and PDF under /learn/, and the public check.

The check's URL is printed on paper and in QR codes, so it stays as DESIGN.md fixes it:
/certificates/verify/<code>/.
"""

from django.urls import path, re_path, register_converter

from enrolment.views import certificates

register_converter(certificates.VerificationCodeConverter, "verification_code")

urlpatterns = [
    path("learn/certificates/<int:pk>/", certificates.certificate_detail, name="certificate"),
    path(
        "learn/certificates/<int:pk>/pdf/",
        certificates.certificate_pdf_download,
        name="certificate_pdf",
    ),
    path(
        "certificates/verify/<verification_code:code>/",
        certificates.certificate_verify,
        name="certificate_verify",
    ),
    # Anything else under verify/ (odd characters, slashes, 10 kB) answers here, with the same
    # 404 as an unknown code, rather than falling through to Wagtail's pages.
    re_path(r"^certificates/verify/(?P<rest>.*)\Z", certificates.certificate_verify_other),
]
