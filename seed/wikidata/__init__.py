"""Wikidata's diplomatic posts (the database-of-embassies release): reading, crosswalk, import."""
