"""Storage of documents, claims, drafts and reviewer decisions; later the reviewer web UI."""
