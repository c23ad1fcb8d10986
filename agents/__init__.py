"""The AgentMessage protocol, the Redis Streams bus, the worker runtime and the agents."""
