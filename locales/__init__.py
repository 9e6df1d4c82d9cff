"""Message catalogs: `vi/` is the reference, `en/` must hold the same keys and placeholders."""
