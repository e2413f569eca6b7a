"""The GraphQL object types, one noun per module."""
