"""Search: thread documents built from the database, two backends behind one interface, the
indexer that drains the queue, and the background thread of the embedded default."""
