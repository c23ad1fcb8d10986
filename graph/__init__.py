"""The supervisor graph: shared state, the message reader, the draft order, replies, builder and event bridge."""
