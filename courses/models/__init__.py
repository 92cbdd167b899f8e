from courses.models.pages import CourseIndexPage, CoursePage, courses_once
from courses.models.snippets import Category, Partner, Venue
from courses.models.timetable import CourseRun, Session, run_is_recent
from courses.models.translations import translations_attach

__all__ = [
    "Category",
    "CourseIndexPage",
    "CoursePage",
    "courses_once",
    "CourseRun",
    "Partner",
    "Session",
    "run_is_recent",
    "translations_attach",
    "Venue",
]
