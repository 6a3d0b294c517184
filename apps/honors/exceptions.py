from apps.workflow.exceptions import WorkflowError


class HonorError(WorkflowError):
    """A request the honor service refuses, with a message for the user."""
