"""Pieces the bench scripts share (a package, so `make bench` does not run them as scripts)."""
