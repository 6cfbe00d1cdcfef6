"""Castline: a live-streaming platform for gamers, event-sourced on Kafka."""
