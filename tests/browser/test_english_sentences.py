"""The check that finds English left on an Arabic, Urdu or Chinese page (no browser needed)."""

from tests.browser.language import demo_allow_list, english_sentences

ALLOW = ["Harbour Learning Centre", "GED", "IELTS", "Amina"]


def test_a_page_wholly_in_arabic_has_no_english():
    text = "مرحبا بكم في Harbour Learning Centre.\nالدورات\nتحضير GED و IELTS\nأمينة Amina"
    assert english_sentences(text, allow=ALLOW) == []


def test_it_finds_an_untranslated_button_and_sentence():
    text = "課程\nSign in\n報名。The class is full. Join the waitlist.\n星期二"
    assert english_sentences(text, allow=ALLOW) == [
        "Sign in",
        "The class is full.",
        "Join the waitlist.",
    ]


def test_numbers_codes_phones_dates_and_emails_are_not_english():
    text = "الهاتف: +852 9123 4567\nENG-A1-2026-09\n2026-12-22 18:30\namina@example.org\nA1"
    assert english_sentences(text, allow=ALLOW) == []


def test_an_english_word_inside_an_urdu_sentence_is_found():
    text = "آپ کی کلاس Tuesday کو ہے۔ شکریہ۔"
    assert english_sentences(text, allow=ALLOW) == ["آپ کی کلاس Tuesday کو ہے۔"]


def test_an_allowed_name_does_not_hide_english_beside_it():
    assert english_sentences("GED preparation", allow=ALLOW) == ["GED preparation"]
    assert english_sentences("GED", allow=ALLOW) == []


def test_allowed_names_match_whole_words_only():
    # "Amina" is allowed; "Aminas" is another word.
    assert english_sentences("Aminas", allow=ALLOW) == ["Aminas"]


def test_the_demo_allow_list_names_the_centre_codes_and_people():
    allow = demo_allow_list()
    assert {"Harbour Learning Centre", "GED", "IELTS", "Amina"} <= set(allow)
    assert english_sentences("أمينة Amina — Harbour Learning Centre", allow=allow) == []
