"""Charts (matplotlib, imported lazily): each function returns a Figure; the CLI saves it."""
