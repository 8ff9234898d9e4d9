"""Benchmarks of armstrace, run from the repository's root (`make bench`, `python -m
benchmarks.NAME`). They measure and print; nothing here is asserted, and none of it is installed
with the package.

extraction.py  documents/s of the extractor on a generated corpus (`make bench`)
api.py         the REST API's list endpoints on 50,000 generated claims
paint.py       the dashboard's first paint in headless Chromium
"""
