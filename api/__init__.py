"""The service's doors: the FastAPI app, its routes and the `orkesta` command line."""
