"""The measure of tools/language_share.py (``make language-share``): letters, not characters,
and French by comparison with the English page."""

from tools.language_share import measure


def nodes(*texts, main=True):
    return [{"text": text, "main": main} for text in texts]


def test_arabic_counts_letters_in_arabic_script_and_names_what_is_left():
    found = measure("ar", nodes("الدورات", "GED", "+852 9123 4567"), english={"GED"})
    # 7 Arabic letters, 3 Latin; the phone number has no letters and weighs nothing.
    assert round(found.script, 1) == 70.0
    assert round(found.differs, 1) == 70.0
    assert found.left == [(3, "GED")]


def test_chinese_counts_ideographs():
    found = measure("zh-hant", nodes("課程", "Sign in"), english={"Sign in"})
    assert round(found.script, 1) == round(100 * 2 / 8, 1)
    assert found.left == [(6, "Sign in")]


def test_french_counts_nodes_that_differ_from_the_english_page():
    found = measure(
        "fr", nodes("Cours", "IELTS", "Sign up"), english={"Courses", "IELTS", "Sign up"}
    )
    assert found.script is None
    assert round(found.differs, 1) == round(100 * 5 / 16, 1)
    assert found.left == [(6, "Sign up"), (5, "IELTS")]


def test_text_outside_main_counts_in_the_page_but_not_in_main():
    page = nodes("الدورات") + nodes("English", main=False)
    found = measure("ur", page, english={"English"})
    assert found.script_main == 100.0
    assert round(found.script, 1) == 50.0
