"""Writing: each function checks its input against the data, then writes and logs the change.

Input that is wrong for the data is collected as Problems and raised together as
Rejected before anything is written; the caller's transaction makes it all or nothing.
A Problem names its field as the write does (its argument's name, `("host",)`); the
caller says where its own input holds that field.
"""
