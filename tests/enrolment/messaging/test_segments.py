"""What a text costs: GSM-7 texts fit 160 characters a part, anything else 70."""

import pytest

from enrolment.services.sms import sms_segments


@pytest.mark.parametrize(
    "text, parts",
    [
        ("", 0),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # two places each in GSM-7: exactly 160
        ("€" * 81, 2),
        ("é" * 160, 1),  # é is in the GSM alphabet
        ("ê" * 70, 1),  # ê is not: the whole text is UCS-2
        ("ê" * 71, 2),
        ("مرحبا" * 14, 1),  # 70 Arabic letters
        ("مرحبا" * 14 + "!", 2),
        ("你" * 134, 2),
        ("你" * 135, 3),
        ("😀" * 35, 1),  # outside the BMP: two units each
        ("😀" * 36, 2),
    ],
)
def test_parts(text, parts):
    assert sms_segments(text) == parts
