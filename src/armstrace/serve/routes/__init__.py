"""The REST API's routers, one module per resource (stats, documents, claims, transfers, actors,
search, charts, export, ingest, register: the UNROCA reconciliation). armstrace.serve.api
assembles them under /api.
"""
