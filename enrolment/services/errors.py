class EnrolmentError(Exception):
    """A rule refused the action. The message is translated and shown to the user as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class AccountError(Exception):
    """Sign-up or a profile change was refused. The message is translated and shown as is;
    `field` names the form field it belongs to, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
