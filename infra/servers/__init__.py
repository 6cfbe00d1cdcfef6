"""One module per local server."""
