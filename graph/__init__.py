"""The supervisor graph: shared state, intent router, graph builder and event bridge."""
