"""Instructor tools: submission bundles, collection, regrading, reports, item analysis, exports.

Nothing here imports torch at module level: `grade report`, `submit` and `collect` stay fast.
Only regrading (regrade.py) and the Gradescope runner grade code. The SQL is in grader/store/.

| module | holds |
|---|---|
| bundle | the submission bundle's format, its validation (untrusted input) and writing |
| submit, collect, regrade | what `grade submit`, `collect` and `regrade` do |
| report | the report's data, one dict every format renders |
| formats, html_report, svg | the report as a terminal table, CSV and JSON; as HTML with charts |
| item_analysis | quiz item statistics with Moodle's definitions |
| gradescope, gradescope_run, wheel | the Gradescope autograder export and what runs inside it |
| seeds | stable seeds for regrading |
"""
