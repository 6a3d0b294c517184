class DeadlineError(Exception):
    """An operation on a deadline that its state does not allow; the message is for the user."""
