"""The records of the Office of the Historian, U.S. Department of State: its archives read
safely (archive.py) and its territory ids mapped to Bilateral's countries (territories.py)."""
