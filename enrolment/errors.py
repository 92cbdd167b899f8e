"""The domain's one error family. A service refuses by raising one of these; its message is
translated and shown to the person as is, and the refusal has changed nothing."""


class DomainError(Exception):
    """A rule refused the action. `field` names the form field the message belongs to, if
    any, so a form can show it there (enrolment.forms.add_service_error)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class AccountError(DomainError):
    """Sign-up or a profile change was refused."""


class AccountTakenError(AccountError):
    """The phone number or email already belongs to an account. Sign-up does not show this
    message (it would tell anyone who is a client of the centre); a profile change does."""


class ConsentError(DomainError):
    """A consent could not be given, withdrawn or relied on; nothing changed."""


class ClassMessageError(DomainError):
    """A message from staff to a class was refused (empty, too long); nothing was sent."""


class EnrolmentError(DomainError):
    """An enrolment rule refused the action: full, closed, not eligible, already enrolled."""


class RegisterError(EnrolmentError):
    """A register could not be saved; nothing was. The message says why, for the teacher."""


class CertificationError(EnrolmentError):
    """A completion or certificate rule refused the action; nothing changed."""


class QualificationError(EnrolmentError):
    """A score breaks the awarding body's rules; nothing was saved."""


class SponsorshipError(EnrolmentError):
    """A sponsorship, placement or report was refused; nothing was saved."""


class ReportIdentityError(SponsorshipError):
    """A report's text names or locates its child, so it was not shared. `matches` says where
    (enrolment.services.identity_check.Match), for the screen to highlight."""

    def __init__(self, message: str, *, matches: tuple = (), field: str | None = None):
        super().__init__(message, field=field)
        self.matches = tuple(matches)


class ForgettingError(DomainError):
    """A person could not be forgotten (anonymised) yet; nothing was removed."""


class CorrectionError(DomainError):
    """A correction request was refused (empty, too long, too many waiting) or could not be
    answered; nothing was saved."""
