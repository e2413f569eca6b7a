"""The data layer: typed SQLAlchemy models, engine and session set-up, shared queries."""
