"""The local stack: servers the project installs, starts, checks and stops itself."""
