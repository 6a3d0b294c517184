class WorkflowError(Exception):
    """A transition could not run; ``str(error)`` is a message for the user, in their language."""


class AlreadyHandled(WorkflowError):
    """The case is no longer in a state the transition starts from (another person acted first)."""


class TransitionForbidden(WorkflowError):
    """The actor may not perform this transition on this case."""


class TransitionInvalid(WorkflowError):
    """Something the transition requires is missing (for example the reasons of a refusal)."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.field = field
