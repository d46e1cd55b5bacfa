"""What the machine hears in a take: timing, silences, loudness, pitch, the words (Whisper), pace,
fillers and the rubric hints; :mod:`simulator.analysis.record` is the saved result."""
