"""Instructor tools: submission bundles, collection, regrading, reports, item analysis, exports.

Nothing here imports torch at module level: `grade report`, `submit` and `collect` stay fast.
Only regrading (grader.instructor.regrade) and the Gradescope runner grade code.
"""
