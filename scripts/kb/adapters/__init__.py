"""Engine adapters: the `kb` command, the MkDocs plugin, the other engines, and the cached load-then-check they call."""
