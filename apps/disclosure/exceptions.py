from apps.workflow.exceptions import WorkflowError


class CatalogueLocked(WorkflowError):
    """The catalogue cannot be edited now, or not by this user."""


class ImportInvalid(Exception):
    def __init__(self, messages):
        super().__init__("; ".join(messages))
        self.messages = messages
