"""What the student sees and where answers come from.

Two looks: `plain` (lettered text, words instead of symbols and colour, one answer per line:
works with piped input and screen readers; the default when stdin is not a terminal) and
`rich` (the same text with colour and marks, for a terminal). Answers come from standard
input (typed or piped) or from a list (`--answer`), echoed so the transcript reads well.
"""

from __future__ import annotations

import sys
from typing import IO, Optional, Sequence

from grader.quiz.model import LETTERS, ChoiceItem, FlashcardItem, OpenItem, TrueFalseItem

KIND_LABEL = {
    "choice": "Multiple choice",
    "prediction": "Prediction: commit to your answer before reading on",
    "truefalse": "True or false?",
    "flashcard": "Flashcard",
    "open": "Open question",
}


class Screen:
    def __init__(self, stream: Optional[IO[str]] = None, plain: bool = False, quiet: bool = False):
        from rich.console import Console

        self.stream = stream or sys.stdout
        self.plain, self.quiet = plain, quiet
        self.console = Console(file=self.stream, highlight=False, emoji=False, no_color=plain,
                               markup=False, soft_wrap=plain)

    def say(self, text: str = "", style: str = "", end: str = "\n") -> None:
        if self.quiet:
            return
        from rich.text import Text

        self.console.print(Text(text, style="" if self.plain else style), end=end)

    def flush(self) -> None:
        self.stream.flush()

    # -- a question --------------------------------------------------------------------
    def question(self, asked, total: int) -> None:
        item = asked.item
        self.say()
        self.say(f"Question {asked.position} of {total} ({KIND_LABEL[item.kind]})", "bold cyan")
        self.say(item.prompt)
        if isinstance(item, ChoiceItem):
            for i, oid in enumerate(asked.shown_order):
                self.say(f"  {LETTERS[i]}) {item.option(oid).text}")
        elif isinstance(item, OpenItem) and item.hint:
            self.say(f"Hint: {item.hint}", "dim")

    def reveal(self, item: FlashcardItem) -> None:
        self.say(f"Answer: {item.reveal}", "green")

    def problem(self, message: str) -> None:
        self.say(f"Please {message}.", "yellow")

    def feedback(self, response) -> None:
        item = response.item
        if isinstance(item, FlashcardItem):
            self.say(f"Rated: {response.chosen}.", "dim")
            return
        if isinstance(item, OpenItem):
            self.say(response.feedback, "bold green" if response.correct else "bold yellow")
            if response.concept_names_found:
                self.say("Found: " + "; ".join(response.concept_names_found) + ".", "green")
            for line in not_found_lines(response):
                self.say(line, "yellow")
            if (response.concept_names_missing or response.concept_names_uncertain) and item.model_answer:
                self.say(f"A full answer: {item.model_answer}", "dim")
            return
        key = response.correct_answer()
        if isinstance(item, TrueFalseItem):
            verdict = "Correct" if response.correct else "Not quite"
            self.say(f"{self._mark(response.correct)}{verdict}: the statement is {key['text']}.",
                     "bold green" if response.correct else "bold red")
            self.say(f"Reality: {item.explanation}")
            return
        option = item.option(response.chosen)
        if item.kind == "prediction":
            verdict = "Your prediction holds" if response.correct else "Your prediction misses"
        else:
            verdict = "Correct" if response.correct else "Not quite"
        self.say(f"{self._mark(response.correct)}{verdict}.", "bold green" if response.correct else "bold red")
        if option.feedback:
            self.say(option.feedback)
        if not response.correct:
            self.say(f"The answer is {key['letter']}) {key['text']}")
        if item.explanation and (item.kind == "prediction" or not response.correct):
            self.say(("Reading on: " if item.kind == "prediction" else "Why: ") + item.explanation, "dim")

    def _mark(self, ok: Optional[bool]) -> str:
        if self.plain or ok is None:
            return ""
        return "✓ " if ok else "✗ "

    # -- the end -----------------------------------------------------------------------
    def summary(self, result) -> None:
        self.say()
        answered, total = len(result.responses), len(result.asked)
        if result.status == "interrupted":
            self.say(f"Stopped after {answered} of {total} question(s).", "bold yellow")
        elif result.status == "input-ended":
            self.say(f"Input ended after {answered} of {total} question(s).", "bold yellow")
        if result.max_score:
            pct = f" ({100 * result.score / result.max_score:.0f}%)"
            self.say(f"Score: {result.score:g}/{result.max_score:g}{pct}  ·  {result.quiz.title}", "bold")
        else:  # flashcards only: self-rated, nothing to score
            self.say(f"Rated {answered} card(s)  ·  {result.quiz.title}. Keep them coming back with: grade review",
                     "bold")
        misses = [r for r in result.responses if r.missed]
        if misses:
            self.say("Review what you missed:", "bold")
            for r in misses:
                key = r.correct_answer()
                first_line = r.item.prompt.strip().splitlines()[0]
                self.say(f"- Question {r.asked.position}: {first_line}")
                if isinstance(r.item, OpenItem):
                    for line in not_found_lines(r):
                        self.say(f"  {line}")
                    if r.item.model_answer:
                        self.say(f"  A full answer: {r.item.model_answer}", "dim")
                else:
                    answer = f"{key['letter']}) {key['text']}" if "letter" in key and r.item.kind != "truefalse" \
                        else key["text"]
                    self.say(f"  Answer: {answer}")
                if r.item.explanation:
                    self.say(f"  {r.item.explanation}", "dim")
        elif answered and result.max_score and result.complete:
            self.say("Nothing missed.", "green")
        if not result.complete and answered < total:
            self.say(f"{total - answered} question(s) not answered.", "yellow")
        if result.stored and result.attempt_id is not None:
            marked = "" if result.complete else " (a partial attempt, marked incomplete)"
            self.say(f"Stored as attempt #{result.attempt_id}{marked}.", "dim")
        elif result.stored:
            self.say("Nothing was stored (no question was answered).", "dim")
        self.say(f"Seed {result.seed}: `grade quiz {result.quiz.name} --seed {result.seed}` asks the same order.",
                 "dim")


class StdinAnswers:
    """Answers typed or piped on standard input, one line each."""

    def __init__(self, screen: Screen, stream: Optional[IO[str]] = None, interactive: Optional[bool] = None):
        self.screen = screen
        self.stream = stream or sys.stdin
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.mode = "interactive" if self.interactive and not screen.plain else "plain"

    def read(self, prompt: str) -> str:
        self.screen.say(prompt, "bold", end="")
        self.screen.flush()
        line = self.stream.readline()
        if not line:
            self.screen.say()
            if self.interactive:
                raise KeyboardInterrupt  # Ctrl-D at the prompt: the student stops, like Ctrl-C
            raise EOFError
        if not self.interactive:
            self.screen.say(line.rstrip("\n"))  # piped: show the answer as if typed
        return line.rstrip("\r\n")

    def pause(self, prompt: str) -> None:
        """Wait for Enter on a terminal (reveal a flashcard); piped input goes straight on."""
        if self.interactive:
            self.read(prompt)


class ListAnswers:
    """`--answer` values, already checked to fit the questions."""

    interactive = False
    mode = "answers"

    def __init__(self, screen: Screen, answers: Sequence[str]):
        self.screen, self.answers = screen, list(answers)

    def read(self, prompt: str) -> str:
        if not self.answers:
            raise EOFError
        answer = self.answers.pop(0)
        self.screen.say(prompt, "bold", end="")
        self.screen.say(answer)
        return answer

    def pause(self, prompt: str) -> None:
        pass


def not_found_lines(response) -> list[str]:
    """What an open answer was not credited for, said with the doubt automatic scoring deserves:
    never a definite "Missing" (a concept said in other words may not have been recognised)."""
    out = []
    if response.concept_names_uncertain:
        out.append("Not sure your answer says: " + "; ".join(response.concept_names_uncertain) + ".")
    if response.concept_names_missing:
        out.append("Possibly missing: " + "; ".join(response.concept_names_missing) + ".")
    return out
