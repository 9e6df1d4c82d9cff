"""chidoan-bot: the runtime (config, engine, channels, scheduler, CLI)."""
