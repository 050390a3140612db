"""The permission explainer (why a person may or may not call a route) and the role x route matrix."""
