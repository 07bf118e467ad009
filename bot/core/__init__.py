"""The channel-neutral command layer: commands registered once, one router, one turn runner."""
