"""Voicemail Simulator: practise leaving a voicemail for a prospect."""

__version__ = "0.1.0"
