"""Read models built from the log, each with its checkpoint beside its rows."""
