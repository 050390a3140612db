"""The news feed of the productions."""
