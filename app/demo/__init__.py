"""Demo content for a new forum: the data in content/ and the loader that writes it."""
