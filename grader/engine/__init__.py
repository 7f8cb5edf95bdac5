"""The trusted grading engine: runs hidden pytest files that reach student code via the sandbox."""
