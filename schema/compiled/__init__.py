"""Compiled execution: a query operation as one SQL statement that builds its `data` JSON."""
