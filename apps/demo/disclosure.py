# TEMPORARY (uncommitted) until step 4 moves the loader here.
from apps.disclosure.services import catalogues_demo_load  # noqa: F401
