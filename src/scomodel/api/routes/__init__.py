"""One router per resource; each handler calls the same function the CLI command calls."""
