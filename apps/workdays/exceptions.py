class CalendarError(Exception):
    """Invalid calendar input; the message is for the operator."""
