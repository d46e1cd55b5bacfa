"""The screens of the practice flow, one module each."""
