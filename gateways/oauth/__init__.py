"""Castline as an OAuth2 authorization server, built on authlib's protocol code."""
