"""Quizzes taken in the terminal: the quiz file format, scoring, recording, review and GIFT/Aiken.

Nothing in this package imports torch (`grade quiz` and `grade review` must start fast);
only tests/test_quiz_keys.py runs the torch snippets that check the keyed answers. The
commands are in grader/app/quiz.py; the SQL in grader/store/quizzes.py.

| module | holds |
|---|---|
| model | the pydantic models of a quiz file and its loader |
| catalog | the quizzes in quizzes/, looked up by name |
| rubric | open answers scored by meaning: clause-level evidence, negation, keyword lists, echoes (word classes in lexicon.toml; real words typo correction leaves alone in english_near.txt) |
| attempt | the order of an attempt (seeded shuffles), answer parsing and scoring |
| recording | an attempt written answer by answer as it is taken |
| session | one quiz attempt, question by question, with Ctrl-C handling |
| terminal | plain and rich screens, and the sources of answers |
| review | flashcard review scheduled with FSRS |
| gift, aiken, tomlout | Moodle GIFT and Aiken import/export, and writing quiz TOML |
"""
