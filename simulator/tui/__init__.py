"""The Textual app: thin screens over the practice services."""
