"""The application layer: one function per command, called by grader.cli with an AppContext.

No click here and no printing (the quiz and review sessions write to the Screen they are given);
errors are grader.errors exceptions carrying their exit code.

| module | holds |
|---|---|
| context | AppContext: the workspace, database, student and sandbox a command uses |
| workspace | the student's workspace folder and its config |
| student | grade one, all, or on every save; list, show, hint, reset, solution, whoami, submit |
| watch | the file watching behind `grade watch` |
| quiz | quiz, review, rubric, export and import of quizzes |
| instructor | report, collect, regrade |
| content | the authoring self-check and the Gradescope export |
"""
