"""Use cases and rules of the forum, in plain Python: they take a session, never import flask."""
