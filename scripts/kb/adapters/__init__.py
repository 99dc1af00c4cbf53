"""Engine adapters: the `kb` command, the MkDocs hooks, and the cached load-then-check they both call."""
