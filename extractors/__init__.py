"""Reading submitted files and extracting quantitative claims: pure functions, no I/O beyond the files read."""
