"""The web front end (``python generate.py serve``): a school fills in a form and downloads its own pack.

``form`` (the fields, read from the spreadsheet's columns), ``images`` (uploads
cleaned), ``jobs`` (what a worker does with one form: the CLI's build) and
``app`` (routes, limits, the pool). See ``app`` for what it never does.
"""
