"""Benchmarks against the local stack (loopback only, bounded in count and time)."""
