from apps.workflow.exceptions import WorkflowError


class ApplicationError(WorkflowError):
    """A request on an application that its state or the actor does not allow; the message is for the user."""
