"""The benchmark's certificates: bulk issue for a closed run, and the PDF of a certificate
with a Latin, a Chinese and an Arabic name."""

import datetime as dt
import time
import tracemalloc

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.management.benchmark.harness import BenchmarkError, ExportResult
from cms.management.benchmark.runs import class_with_learners
from courses.choices import RunStatus
from enrolment.models import EnrolmentStatus

CERTIFICATE_LEARNERS = 40
# Each script's fonts are found and shaped differently: the PDF's time is measured for each.
CERTIFICATE_NAMES = ("Amina Hassan Abdi", "陳美玲", "فاطمة الزهراء أحمد")


def certificate_benchmarks(
    *, learners: int = CERTIFICATE_LEARNERS, repeat: int = 3
) -> list[ExportResult]:
    """Bulk issue for a closed run of ``learners`` completed learners (once: issuing again
    issues nothing), then the PDF of a certificate with a Latin, a Chinese and an Arabic name
    (median of ``repeat`` renders of each)."""
    from enrolment.services.certificate_documents import certificate_pdf
    from enrolment.services.certification import certificates_issue_for_run

    run, teacher = class_with_learners(learners=learners, sessions=1, prefix="CERT")
    run.end_date = timezone.localdate() - dt.timedelta(days=1)
    run.status = RunStatus.CLOSED
    run.save(update_fields=["end_date", "status"])
    run.enrolments.update(status=EnrolmentStatus.COMPLETED)

    tracemalloc.start()
    try:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            outcome = certificates_issue_for_run(run=run, by=teacher)
            elapsed = (time.perf_counter() - started) * 1000
        _current, issue_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    if len(outcome.issued) != learners:
        raise BenchmarkError(f"Bulk issue made {len(outcome.issued)} certificates, not {learners}.")
    results = [
        ExportResult(
            scenario=f"certificates bulk issue ({learners} learners)",
            rows=learners,
            columns=1,
            median_ms=elapsed,
            queries=len(captured),
            peak_bytes=issue_peak,
            file_bytes=0,
        )
    ]
    for certificate, name in zip(outcome.issued, CERTIFICATE_NAMES, strict=False):
        certificate.holder_name = name
        timings, size, queries = [], 0, 0
        for _ in range(max(repeat, 1)):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                pdf = certificate_pdf(certificate=certificate, request=None)
                timings.append((time.perf_counter() - started) * 1000)
            size, queries = len(pdf), max(queries, len(captured))
        if not pdf.startswith(b"%PDF"):
            raise BenchmarkError("The certificate PDF is not a PDF.")
        script = {0: "Latin", 1: "Chinese", 2: "Arabic"}[CERTIFICATE_NAMES.index(name)]
        results.append(
            ExportResult(
                scenario=f"certificate PDF ({script} name)",
                rows=1,
                columns=1,
                median_ms=sorted(timings)[len(timings) // 2],
                queries=queries,
                peak_bytes=0,  # not traced: WeasyPrint's memory is mostly outside Python
                file_bytes=size,
            )
        )
    return results
