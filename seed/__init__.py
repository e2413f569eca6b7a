"""The article's facts as data, and the loader that checks and writes them."""
