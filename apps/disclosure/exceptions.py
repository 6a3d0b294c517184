from apps.workflow.exceptions import WorkflowError


class CatalogueLocked(WorkflowError):
    """The catalogue cannot be edited now, or not by this user."""


class ImportInvalid(Exception):
    def __init__(self, messages):
        super().__init__("; ".join(messages))
        self.messages = messages


class EntryInvalid(Exception):
    """An entry breaks a rule of the official table (``tables.row_read``); ``errors`` name the column of each."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{error.column}: {error.message}" for error in errors))
        self.errors = errors
