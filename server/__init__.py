"""The HTTP server: the Starlette app, its settings and the `bilateral` command."""
