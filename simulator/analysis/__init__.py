"""What the machine hears in a take: timing, silences, loudness (and, later, words)."""
