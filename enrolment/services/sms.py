"""How many SMS parts a text takes: each part is billed, and a long text may arrive in pieces.

A text in the GSM 03.38 alphabet (plain English and French without most accents) fits 160
characters in one part, 153 per part when split. Any other character (Arabic, Chinese, Urdu,
an emoji, curly quotes) switches the whole text to UCS-2: 70 in one part, 67 per part, and a
character outside the Basic Multilingual Plane counts twice.
"""

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# These take two places (an escape, then the character).
GSM_EXTENDED = set("^{}\\[~]|€\f")


def _gsm_length(text: str) -> int | None:
    length = 0
    for character in text:
        if character in GSM_BASIC:
            length += 1
        elif character in GSM_EXTENDED:
            length += 2
        else:
            return None
    return length


def sms_segments(text: str) -> int:
    """The number of SMS parts `text` is sent in (0 for an empty text)."""
    if not text:
        return 0
    gsm = _gsm_length(text)
    if gsm is not None:
        return 1 if gsm <= 160 else -(-gsm // 153)
    units = sum(2 if ord(character) > 0xFFFF else 1 for character in text)
    return 1 if units <= 70 else -(-units // 67)
