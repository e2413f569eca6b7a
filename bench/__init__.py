"""Benchmarks: the API against a hand-written-SQL floor, under wrk."""
