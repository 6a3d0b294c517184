class CalendarError(Exception):
    """Invalid calendar input; the message is for the operator."""


class CalendarIncomplete(CalendarError):
    """The entered year leaves out statutory holidays; ``missing`` lists them (date, name). Saved only when the
    operator confirms that the notice really differs."""

    def __init__(self, message, *, missing):
        super().__init__(message)
        self.missing = missing
