"""The serve stage: the REST API, the offline dashboard and the self-contained report."""
