"""The channel-neutral engine: Incoming in, Reply out, one unit of work per update."""
