"""``manage.py benchmark``'s harness and scenarios.

They live in cms's composition root, cms/management, because they measure every app: the rest
of cms imports neither courses nor enrolment, and nothing outside cms/management imports this.
"""
