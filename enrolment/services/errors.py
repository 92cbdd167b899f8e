class EnrolmentError(Exception):
    """A rule refused the action. The message is translated and shown to the user as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
