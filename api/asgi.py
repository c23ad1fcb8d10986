"""ASGI entry point for servers that import an app object (`langgraph dev` mounts it via langgraph.json)."""

from api.app import create_app

app = create_app()
