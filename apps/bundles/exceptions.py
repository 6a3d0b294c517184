from apps.workflow.exceptions import WorkflowError


class BundleError(WorkflowError):
    pass
