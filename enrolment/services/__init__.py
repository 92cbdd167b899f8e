"""The rules of enrolment, one module per workflow. Views, admin and commands call these."""
