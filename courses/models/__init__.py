from courses.models.pages import CourseIndexPage, CoursePage
from courses.models.snippets import Category, Partner, Venue
from courses.models.timetable import CourseRun, Session

__all__ = [
    "Category",
    "CourseIndexPage",
    "CoursePage",
    "CourseRun",
    "Partner",
    "Session",
    "Venue",
]
