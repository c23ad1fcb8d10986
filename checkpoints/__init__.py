"""The Redis checkpointer and the audit helpers over it: history, state at a checkpoint, replay, fork."""
