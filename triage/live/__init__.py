"""Live use: run a command and diagnose its output (`run --`), follow growing logs (`--follow`)."""
