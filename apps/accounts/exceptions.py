class AccountError(Exception):
    """A domain error with a message for the user."""
