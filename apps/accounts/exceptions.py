class AccountError(Exception):
    """A domain error with a message for the user; ``field`` names the form field it concerns, if one."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field
