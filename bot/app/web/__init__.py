"""The one web server of the process and the signed, expiring links to files it serves."""
