"""Writing: each function checks its input against the data, then writes and logs the change.

Input that is wrong for the data is collected as Problems and raised together as
Rejected before anything is written; the caller's transaction makes it all or nothing.
"""
