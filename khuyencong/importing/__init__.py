"""Excel/CSV import and export for every register (issue 7).

- widgets: cells <-> values, built on the pure parsers in khuyencong.parsers
- resources: RegisterResource, the base of every app's resources.py
- files: checks on an uploaded file before anything is imported
- runner: a streamed, chunked, atomic import for management commands
"""
