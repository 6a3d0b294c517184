class CaseError(Exception):
    """A report the grid service refuses; ``str(error)`` is for the user, ``field`` names what was wrong."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field
