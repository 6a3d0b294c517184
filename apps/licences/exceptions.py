from apps.workflow.exceptions import TransitionInvalid


class LicenceInvalid(TransitionInvalid):
    """A licence that cannot be issued or registered as given (the message says why, the field where)."""
