"""Helpers for testing and benchmarking on real audio parts without a sound card."""
