"""The demo's website: the home page, the catalogue, an about page and a learner's story, and
the centre's contact details."""

import datetime as dt

from django.utils import timezone
from wagtail.models import Page, Site

from cms.models import CentreSettings, HomePage, StandardPage, StoryPage
from courses.models import CourseIndexPage


def child_page(parent, model, slug, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
    return page


def build_site() -> tuple[HomePage, CourseIndexPage]:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's "Welcome to your new Wagtail site!" page makes way for ours.
        for page in root.get_children().filter(content_type__app_label="wagtailcore"):
            page.delete()
        home = HomePage(
            title="Learn, grow and belong in Hong Kong",
            slug="home",
            intro=(
                "Free courses for refugees and asylum seekers: English, GED, IELTS, computers, "
                "photography, work placements and homework support for children."
            ),
            who_we_serve=(
                "<p>We welcome adults, young people and children seeking protection in Hong "
                "Kong, whatever their language or schooling so far.</p>"
            ),
            get_help=(
                "<p>Come to the front desk, Monday to Saturday, or send us a WhatsApp "
                "message. An interpreter can join you.</p>"
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": "localhost",
                "port": 80,
                "root_page": home,
                "site_name": "Harbour Learning Centre",
            },
        )
    catalogue = child_page(
        home,
        CourseIndexPage,
        "courses",
        title="Courses",
        intro="<p>All our courses are free. Filter by subject, day or level.</p>",
    )
    child_page(
        home,
        StandardPage,
        "about",
        title="About the centre",
        introduction="A community centre in Sham Shui Po, open since 2009.",
    )
    story = child_page(
        home,
        StoryPage,
        "story-amina",
        title="From first words to first job",
        learner_name="Amina",
        quote="The teachers were patient. Now I help new learners.",
        consent_given=True,
        consent_date=timezone.localdate() - dt.timedelta(days=60),
    )
    if home.featured_story_id is None:
        home.featured_story = story
        home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    CentreSettings.objects.update_or_create(
        site=site,
        defaults={
            "centre_name": "Harbour Learning Centre",
            "address": "3/F, 128 Un Chau Street\nSham Shui Po, Kowloon",
            "opening_hours": "Mon–Fri 9:30–20:30\nSat 9:30–17:00",
            "phone": "+852 2000 0000",
            "whatsapp": "+852 5000 0000",
            "email": "hello@example.org",
        },
    )
    return home, catalogue
