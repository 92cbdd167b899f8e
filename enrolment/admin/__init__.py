"""The coordinators' screens in the Wagtail admin, one module per area. They collect a
decision, call a service, and show its refusal; enrolment.wagtail_hooks registers them."""
