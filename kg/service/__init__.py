"""The SPARQL service (`kg serve`): HTTP in server.py and app.py, queries in worker processes
(workers.py, engine.py), refusals in guard.py, result formats in results.py, entity pages in pages.py,
service and dataset descriptions in describe.py. Kept import-free so a worker process starts quickly."""


class ServiceUnavailable(OSError):
    """The service cannot start where it was asked to (e.g. the port is taken)."""
