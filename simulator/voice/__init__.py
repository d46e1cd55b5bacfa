"""The prospect's side of the call: synthesised greetings, the beep, a cache of rendered greetings."""
