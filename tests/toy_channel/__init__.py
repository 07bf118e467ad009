"""A complete small channel, as docs/channels.md describes: one package plus template overrides."""
