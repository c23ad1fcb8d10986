"""The five conversation subgraphs the supervisor routes to: catalog, order, pricing, payment, dunning.

They live beside the supervisor rather than in `agents/` because they share its state
schema, and `agents/` may not import `graph/`.
"""
