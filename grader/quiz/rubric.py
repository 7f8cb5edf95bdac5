"""Concept matching for open questions: which rubric concepts does a free-text answer assert?

Evidence for a concept is a *claim* inside one clause, not a bag of words:

1. The answer is normalised: case, accents, contractions ("doesn't" -> "does not"), code
   (`x = x + 1` is the token `outofplace`, `x += 1` and `mul_(` are `inplaceop`), arrows and
   symbols ("->", a down arrow), and small typos corrected towards the lexicon's words (never a
   real English word turned into another: "lose" stays "lose", "los" becomes "loss").
2. Words are reduced to a lemma (irregular forms, then common endings) and known multi-word
   expressions become one token ("by hand" -> `by_hand`, "chain rule" -> `chain_rule`).
3. The answer is cut into clauses (sentences, ";", "because", "so", "but", "which", ...) and
   each clause into negation scopes (commas, "and", "or"). A negator ("not", "no", "never",
   "without", "nothing", ...) negates the rest of its scope; "instead of", "rather than" and
   "unlike" negate the rest of the clause.
4. A rubric phrase is a pattern: slots that must all occur in one clause, in any order. A slot
   is a word, `a|b` alternatives, or `@class`, a word class from lexicon.toml (synonyms,
   paraphrases, inflections). A pattern may use `@neg` itself ("@neg @manual" is "not by hand"),
   and the negator it uses does not negate it. A phrase starting with `?` is weak evidence: the
   concept is then *uncertain*, never found; `!` keeps the slots within one negation scope, `>`
   in the order written. A concept's `avoid` patterns are claims that
   contradict it (e.g. "the loss goes up"): when one matches, the concept is not credited.
5. A concept is found when a pattern matches without negation. It is *uncertain* when its
   evidence is weak, contradicted (asserted and denied in the same answer), or stands in a bare
   list of keywords ("gradients, chain rule, optimizer"): an answer of three or more short
   fragments with no sentence earns nothing. Words the answer copies from the prompt (a run of
   three or more content words in the prompt's order) are no evidence, and neither is the name
   "automatic differentiation".

Uncertain concepts score nothing; feedback says "possibly missing" and shows the model answer
rather than a definite "Missing". Nothing here imports anything heavier than the standard library.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional, Sequence

if TYPE_CHECKING:
    from grader.quiz.model import Concept

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LEXICON_PATH = Path(__file__).with_name("lexicon.toml")
ECHO_RUN = 3  # this many content words copied from the prompt, in order, are no evidence
LIST_SEGMENTS = 3  # an answer of this many short fragments (or more) and no sentence is a keyword list
LIST_WORDS = 3  # "short": at most this many words

_TOKEN = re.compile(r"[a-z0-9_]+|[.;:!?,()\n/+]")
_STRONG_BREAK = frozenset(".;!?\n")
_WEAK_BREAK = frozenset(",/+():")
# Words that end a clause (a new claim starts) and words that only end a negation's scope.
CLAUSE_WORDS = frozenset("but so because since while whereas although though however therefore "
                         "thus hence cuz bcs coz if when unless otherwise".split())
SCOPE_WORDS = frozenset("and or which who then".split())
NEGATORS = frozenset("not no never nothing none nobody neither nor without hardly barely".split())
CONTRAST = frozenset("instead_of rather_than unlike".split())
STOPWORDS = frozenset(
    "a an the of to for and or its it their this that these those all each every our we you i he she they them "
    "is are was were be been being am do does did would will can could should shall may might must have has had "
    "in on at by with as from into about than so such very just also then there here what which who how why "
    "your my his her me us".split())

_CONTRACTIONS = [
    (re.compile(r"\bcan'?t\b"), "can not"), (re.compile(r"\bcannot\b"), "can not"),
    (re.compile(r"\bwon'?t\b"), "will not"), (re.compile(r"\bain'?t\b"), "is not"),
    (re.compile(r"\b(do|does|did|is|are|was|were|would|could|should|has|have|had|must|need)n'?t\b"), r"\1 not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'d\b"), " would"), (re.compile(r"'ll\b"), " will"), (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"), (re.compile(r"'m\b"), " am"), (re.compile(r"'s\b"), ""),
]
_CODE = [
    # out-of-place: x = x + 1, y = y*2, z = y * 2
    (re.compile(r"\b([a-z_]\w*)\s*=\s*\1\s*[-+*/]"), " outofplace "),
    (re.compile(r"\b([a-z_]\w*)\s*=\s*([a-z_]\w*)\s*[-+*/]\s*[\w(]"), " outofplace "),
    (re.compile(r"[-+*/]="), " inplaceop "),  # x += 1, w -= lr * grad
    (re.compile(r"\b[a-z]+_\s*\((?=[^)]*\))"), " inplaceop "),  # mul_(2), add_(1)
    (re.compile(r"(?<![\w.])_(?![\w])|\b[a-z]+_(?=\W|$)"), " inplaceop "),  # "_ methods", "mul_"
    (re.compile(r"\bd\s*\(?\s*l(oss)?\s*\)?\s*/\s*d\s*\(?\s*[a-z]\w*\)?"), " gradient "),  # dL/dw, d(loss)/d(w)
    (re.compile(r"\.(backward|step|grad|clone|detach|item|data)\b"), r" \1 "),
    (re.compile(r"(?<![\w.])[1-9]\d+(?:[.,]\d+)*\s*(?:k\b|m\b|b\b)?"), " many "),  # 50 layers, 175b parameters
    (re.compile(r"\(\s*\)"), " "),
]
_SYMBOLS = [("\u2202", " d "), ("\u2193", " down "), ("\u2191", " up "), ("\u2192", " then "), ("->", " then "), ("=>", " then "),
            ("\u2014", " ; "), ("\u2013", " ; "), (" - ", " ; "), ("&", " and "), ("w/o", " without "),
            ("b/c", " because "), ("w.r.t.", " wrt "), ("\u2019", "'"), ("\u2018", "'"), ("`", " ")]

_IRREGULAR = {
    "kept": "keep", "keeped": "keep", "made": "make", "did": "do", "done": "do", "does": "do", "gave": "give",
    "given": "give", "got": "get", "gotten": "get", "took": "take", "taken": "take", "wrote": "write",
    "written": "write", "went": "go", "goes": "go", "doing": "do", "going": "go", "being": "be",
    "having": "have", "using": "use", "making": "make", "taking": "take", "giving": "give", "seeing": "see", "found": "find", "thought": "think",
    "brought": "bring", "told": "tell", "held": "hold", "ran": "run", "lost": "lose", "saw": "see",
    "seen": "see", "knew": "know", "known": "know", "came": "come", "became": "become", "fell": "fall",
    "shrank": "shrink", "shrunk": "shrink", "threw": "throw", "thrown": "throw", "broke": "break",
    "broken": "break", "chose": "choose", "chosen": "choose", "spent": "spend", "led": "lead", "meant": "mean",
    "built": "build", "sent": "send", "overwrote": "overwrite", "overwritten": "overwrite", "rewrote": "rewrite",
    "rewritten": "rewrite", "hid": "hide", "hidden": "hide", "has": "have", "had": "have", "is": "be",
    "are": "be", "was": "be", "were": "be", "been": "be", "am": "be", "children": "child", "people": "person",
    "data": "data", "less": "less", "loss": "loss", "process": "process", "this": "this", "its": "its",
    "lots": "lot", "tons": "ton", "ages": "age", "stored": "store", "stores": "store", "storing": "store",
    "saved": "save", "saves": "save", "saving": "save", "lowers": "lower", "lowered": "lower",
    "lowering": "lower", "better": "better", "worse": "worse", "needed": "need", "needs": "need",
    "bias": "bias", "gas": "gas", "params": "param", "ops": "op", "grads": "grad", "derivates": "derivative",
    "derivate": "derivative", "used": "use", "uses": "use", "notes": "note", "modificated": "modify", "modificate": "modify",
}
_SUFFIXES = ("ings", "ing", "edly", "ied", "ies", "ed", "es", "s", "ly")


@lru_cache(maxsize=16384)
def lemma(word: str) -> str:
    """A crude but consistent lemma: the same for a word's inflections, applied to answers and
    rubrics alike (so it need not be a dictionary form). Stripping repeats until nothing changes,
    so "hundreds" and "hundred" agree."""
    for _ in range(3):
        shorter = _strip(word)
        if shorter == word:
            break
        word = shorter
    return word


def _strip(word: str) -> str:
    if word in _IRREGULAR:
        word = _IRREGULAR[word]
    if word in STOPWORDS or word in NEGATORS:
        return word
    if "_" in word or len(word) <= 3 or word in _KEEP_E:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            if suffix in ("ies", "ied"):
                return word[: -len(suffix)] + "y"
            stem = word[: -len(suffix)]
            if suffix in ("ing", "ed", "ings") and len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
                stem = stem[:-1]  # stopped -> stop, mapped -> map (but not "filled", "passed")
            return _final_e(stem)
    return _final_e(word)


def _final_e(word: str) -> str:
    return word[:-1] if word.endswith("e") and len(word) >= 4 and word not in _KEEP_E else word


_KEEP_E = frozenset("note none done gone one nature".split())  # "note" must not become the negator "not"


# -- the lexicon -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Lexicon:
    classes: dict[str, frozenset[str]]  # class name -> lemmas (multi-word ones joined with "_")
    multiword: dict[tuple[str, ...], str]  # lemma sequence -> joined token
    longest: int
    vocabulary: frozenset[str]  # surface words the lexicon and rubrics know (typo targets)
    english: frozenset[str]  # real words that must never be "corrected"
    fixed: dict[str, str]  # known misspellings -> word


_PLAIN = re.compile(r"[a-z][a-z ]*")


def _words_of(phrase: str) -> list[str]:
    if _PLAIN.fullmatch(phrase):  # the lexicon's plain words: no need for the full normalisation
        return phrase.split()
    return [w for w in _TOKEN.findall(_prepare(phrase)) if w not in _STRONG_BREAK and w not in _WEAK_BREAK]


def _lemmas_of(phrase: str) -> tuple[str, ...]:
    return tuple(lemma(w) for w in _words_of(phrase))


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = tomllib.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    raw_classes: dict[str, list[str]] = data.get("classes", {})
    multi: dict[tuple[str, ...], str] = {}
    vocab: set[str] = set()
    for phrase in data.get("multiword", []) + [p for words in raw_classes.values() for p in words if " " in p]:
        seq = _lemmas_of(phrase)
        if len(seq) > 1:
            multi[seq] = "_".join(seq)
    classes = {}
    for name, words in raw_classes.items():
        members = set()
        for w in words:
            seq = _lemmas_of(w)
            if seq:
                members.add("_".join(seq))
            vocab.update(x for x in _words_of(w) if x.isalpha())
        classes[name] = frozenset(members)
    vocab.update(data.get("vocabulary", []))
    vocab.update(_inflections(vocab))
    near = LEXICON_PATH.with_name("english_near.txt")
    english = frozenset(w for w in near.read_text(encoding="utf-8").split() if not w.startswith("#")) \
        if near.exists() else frozenset()
    return Lexicon(classes, multi, max((len(k) for k in multi), default=1), frozenset(vocab), english,
                   dict(data.get("misspellings", {})))


def _inflections(words: Iterable[str]) -> set[str]:
    out = set()
    for w in words:
        if len(w) < 4:
            continue
        base = w[:-1] if w.endswith("e") else w
        out.update({w + "s", w + "es", base + "ed", base + "ing", w + "ly"})
        if w.endswith("y"):
            out.update({w[:-1] + "ies", w[:-1] + "ied"})
    return out


# -- normalising an answer -------------------------------------------------------------------
def _prepare(text: str) -> str:
    for a, b in _SYMBOLS:
        if not a.isascii():  # arrows, dashes, quotes: before accents are dropped
            text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    for pattern, repl in _CODE:  # before " - " becomes a clause break: w = w - lr * grad
        text = pattern.sub(repl, text)
    for a, b in _SYMBOLS:
        if a.isascii():
            text = text.replace(a, b)
    for pattern, repl in _CONTRACTIONS:
        text = pattern.sub(repl, text)
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text)  # error-prone, in-place, out-of-place
    text = re.sub(r"(?<=[a-z])\.(?=[a-z])", " ", text)  # optimizer.step, x.grad
    return text


def _allowed_edits(length: int) -> int:
    return 0 if length < 4 else 1 if length < 7 else 2 if length < 10 else 3


def _osa_distance(a: str, b: str, limit: int) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=16384)
def correct(word: str) -> str:
    """The lexicon word `word` is a typo of, or `word` itself (a real English word never changes)."""
    lex = lexicon()
    if word in lex.fixed:
        return lex.fixed[word]
    if (not word.isalpha() or word in lex.vocabulary or word in lex.english or word in STOPWORDS
            or word in NEGATORS or word in CLAUSE_WORDS):
        return word
    best, best_d = word, 99
    limit = _allowed_edits(len(word))
    if limit == 0:
        return word
    for cand in _vocab_near(word[:1]):
        d = _osa_distance(word, cand, limit)
        if d < best_d or (d == best_d and len(cand) > len(best)):
            best, best_d = cand, d
    return best if best_d <= limit else word


@lru_cache(maxsize=64)
def _vocab_near(first: str) -> tuple[str, ...]:
    return tuple(sorted(w for w in lexicon().vocabulary if w[:1] == first))


@dataclass
class Token:
    lemma: str
    clause: int
    scope: int
    negators: set[int] = field(default_factory=set)  # positions of the negators whose scope covers it
    word: str = ""  # the word as written (typos corrected), before lemmatising
    question: bool = False  # in a clause that ends with "?"
    masked: bool = False  # copied from the prompt


def tokens(text: str, prompt: str = "") -> list[Token]:
    """The answer as lemma tokens with clause, negation scope and echo marks."""
    lex = lexicon()
    raw = _TOKEN.findall(_prepare(text))
    pairs: list[tuple[str, str]] = []  # (corrected word, lemma)
    for w in raw:
        if w in _STRONG_BREAK or w in _WEAK_BREAK:
            pairs.append((w, w))
        else:
            for part in correct(w).split():  # a fixed misspelling may be two words ("dont")
                pairs.append((part, lemma(part)))
    pairs = _join_multiword(pairs, lex)
    out: list[Token] = []
    clause = scope = 0
    for word, lem in pairs:
        if word in _STRONG_BREAK:
            clause += 1
            scope += 1
            continue
        if word in _WEAK_BREAK:
            scope += 1
            continue
        if word in CLAUSE_WORDS:
            clause += 1
            scope += 1
        elif word in SCOPE_WORDS:
            scope += 1
        out.append(Token(lem if word not in NEGATORS else word, clause, scope, word=word))
    _attach_topics(out)
    _answered_questions(out, pairs)
    _mark_questions(out, pairs)
    _not_negators(out)
    for i, t in enumerate(out):
        if t.lemma in NEGATORS:
            for u in out[i + 1:]:
                if u.scope != t.scope:
                    break
                u.negators.add(i)
        elif t.lemma in CONTRAST:
            for u in out[i + 1:]:
                if u.scope != t.scope:
                    break
                u.negators.add(i)
    if prompt:
        _mask_echo(out, prompt)
    return out


MODALS = frozenset("should must shall ought".split())  # "you shouldn't overwrite them" advises, it does not deny
AUXILIARIES = frozenset("would will can could do does did is are was were should".split())


def _not_negators(out: list[Token]) -> None:
    """Words that look like negators but deny nothing: advice ("should not") and rhetorical
    questions ("Would it not take forever?"). Their lemma is changed so they negate nothing."""
    for i, t in enumerate(out):
        if t.lemma != "not":
            continue
        if i and out[i - 1].word in MODALS:
            t.lemma = "not_"
        first = next(k for k, u in enumerate(out) if u.clause == t.clause)
        if out[first].word in AUXILIARIES and i - first <= 2 and out[-1].clause >= t.clause and \
                out[first].question:
            t.lemma = "not_"


DENIAL_REPLY = frozenset("not no nope nah never really at all way definitely certainly".split())


def _attach_topics(out: list[Token]) -> None:
    """ "Gradients. Computed automatically." : a one-word sentence is the topic of the next one."""
    clauses: dict[int, list[Token]] = {}
    for t in out:
        clauses.setdefault(t.clause, []).append(t)
    for c, members in clauses.items():
        content = [t for t in members if t.lemma not in STOPWORDS]
        if len(content) == 1 and c + 1 in clauses and len(members) == 1:
            for t in members:
                t.clause = c + 1


def _mark_questions(out: list[Token], pairs: list[tuple[str, str]]) -> None:
    clause, asked = 0, set()
    for word, _ in pairs:
        if word in _STRONG_BREAK:
            if word == "?":
                asked.add(clause)
            clause += 1
        elif word in CLAUSE_WORDS:
            clause += 1
    for t in out:
        t.question = t.clause in asked


def _answered_questions(out: list[Token], pairs: list[tuple[str, str]]) -> None:
    """ "Slow? Not really." : a question answered by a negator is denied. Marks the question's
    words as negated by the answering negator."""
    clause_ends = []  # (clause number, ended by "?")
    clause = 0
    for word, _ in pairs:
        if word in _STRONG_BREAK:
            clause_ends.append((clause, word == "?"))
            clause += 1
        elif word in CLAUSE_WORDS:
            clause += 1
    asked = {c for c, q in clause_ends if q}
    replies = {}
    for t in out:
        replies.setdefault(t.clause, []).append(t.word)
    for i, t in enumerate(out):
        reply = replies.get(t.clause, [])
        if (t.word in NEGATORS and t.clause - 1 in asked and (i == 0 or out[i - 1].clause != t.clause)
                and set(reply) <= DENIAL_REPLY):
            for u in out[:i]:
                if u.clause == t.clause - 1:
                    u.negators.add(i)


def _join_multiword(pairs: list[tuple[str, str]], lex: Lexicon) -> list[tuple[str, str]]:
    out, i = [], 0
    while i < len(pairs):
        for n in range(min(lex.longest, len(pairs) - i), 1, -1):
            joined = lex.multiword.get(tuple(lem for _, lem in pairs[i:i + n]))
            if joined:
                out.append((joined, joined))
                i += n
                break
        else:
            out.append(pairs[i])
            i += 1
    return out


def _mask_echo(out: list[Token], prompt: str) -> None:
    """Mark runs of ECHO_RUN or more content words that also occur, in that order, in the prompt."""
    prompt_seq = [t.lemma for t in tokens(prompt) if _content(t)]
    grams = {tuple(prompt_seq[i:i + ECHO_RUN]) for i in range(len(prompt_seq) - ECHO_RUN + 1)}
    content = [i for i, t in enumerate(out) if _content(t)]
    for k in range(len(content) - ECHO_RUN + 1):
        idx = content[k:k + ECHO_RUN]
        if tuple(out[i].lemma for i in idx) in grams:
            for i in idx:
                out[i].masked = True


def segments(text: str) -> list[str]:
    """The fragments of an answer between commas, semicolons, plus signs, arrows and full stops."""
    text = re.sub(r"->|=>|\u2192", ",", text)
    return [p for p in re.split(r"[,;+/\n]|\.(?:\s|$)|\s-\s", _prepare(text)) if p.strip()]


def _content(t: Token) -> bool:
    """A word that carries meaning of its own: not a little word, a variable name or a number."""
    return t.lemma not in STOPWORDS and len(t.lemma) > 1 and not t.lemma.isdigit()


def is_keyword_list(text: str, rubric: Sequence["Concept"] = ()) -> bool:
    """Three or more short fragments, at most one of which asserts anything on its own:
    "gradients, chain rule, optimizer, minimize loss" (but not "Compute derivative automatic.
    Then update weight. Loss smaller.", whose fragments each make a claim)."""
    if "```" in text:
        return False  # a code block: its lines are code, not keywords
    parts = segments(text)
    if len(parts) < LIST_SEGMENTS:
        return False
    if not all(len([w for w in _TOKEN.findall(p) if w.isalnum() or "_" in w]) <= LIST_WORDS for p in parts):
        return False
    claims = 0
    for part in parts:
        toks = tokens(part)
        if len([t for t in toks if _content(t)]) < 2:
            continue  # one word is a topic, not a claim
        if any(not m.negated and not m.weak for c in rubric for ph in c.phrases
               for m in find_matches(compile_pattern(ph), toks)):
            claims += 1
    return claims <= 1


# -- patterns --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Pattern:
    slots: tuple[frozenset[str], ...]
    neg_slots: tuple[bool, ...]  # slot i is @neg: it consumes a negator
    weak: bool
    text: str
    tight: bool = False  # all slots within one negation scope, not just one clause
    ordered: bool = False  # the slots in the order written


class RubricError(ValueError):
    """A rubric phrase names a word class that the lexicon does not have."""


@lru_cache(maxsize=4096)
def compile_pattern(phrase: str) -> Pattern:
    lex = lexicon()
    text = phrase.strip()
    flags = text[:3]
    weak, tight, ordered = "?" in flags, "!" in flags, ">" in flags
    text = text.lstrip("?!>").strip()
    slots, negs = [], []
    for part in text.split():
        if part == "@neg":
            slots.append(NEGATORS | CONTRAST)
            negs.append(True)
            continue
        if all(alt in NEGATORS or alt in CONTRAST for alt in part.split("|")):
            slots.append(frozenset(part.split("|")))
            negs.append(True)  # a literal negator ("without") is used by the pattern, not negating it
            continue
        alts: set[str] = set()
        for alt in part.split("|"):
            if alt.startswith("@"):
                if alt[1:] not in lex.classes:
                    raise RubricError(f"unknown word class {alt} (see grader/quiz/lexicon.toml)")
                alts |= lex.classes[alt[1:]]
                continue
            seq = _lemmas_of(alt.replace("_", " "))  # rubric words are spelt right: no typo correction
            if seq:
                alts.add(lex.multiword.get(seq, "_".join(seq)) if len(seq) > 1 else seq[0])
        if alts:
            slots.append(frozenset(alts))
            negs.append(False)
    if not slots:  # a phrase of punctuation: match nothing
        return Pattern((frozenset({"\0"}),), (False,), weak, phrase, tight, ordered)
    # Plain multi-word phrases ("reduce loss") become multiword-aware single slots where the
    # lexicon joins them ("chain rule" -> chain_rule).
    return Pattern(tuple(slots), tuple(negs), weak, phrase, tight, ordered)


@dataclass(frozen=True)
class Match:
    positions: tuple[int, ...]
    negated: bool
    weak: bool


def find_matches(pattern: Pattern, toks: Sequence[Token], tight: bool = False) -> list[Match]:
    """Every way the pattern's slots fill from one clause (distinct tokens, any order): one match
    per clause, preferring an un-negated one. tight: from one negation scope instead."""
    by_clause: dict[int, list[int]] = {}
    for i, t in enumerate(toks):
        by_clause.setdefault(t.scope if tight or pattern.tight else t.clause, []).append(i)
    out = []
    for positions in by_clause.values():
        best: Optional[Match] = None
        for combo in _fill(pattern, toks, positions, 0, ()):
            used_negs = {combo[k] for k, is_neg in enumerate(pattern.neg_slots) if is_neg}
            negated = any(toks[p].negators - used_negs for k, p in enumerate(combo) if not pattern.neg_slots[k])
            m = Match(combo, negated, pattern.weak)
            if best is None or (best.negated and not negated):
                best = m
            if not negated:
                break
        if best is not None:
            out.append(best)
    return out


def _fill(pattern: Pattern, toks: Sequence[Token], positions: list[int], k: int,
          chosen: tuple[int, ...]) -> Iterable[tuple[int, ...]]:
    if k == len(pattern.slots):
        if pattern.neg_slots and any(pattern.neg_slots):
            # A pattern's own negator must come before what it negates ("not by hand").
            # A pattern's own negator must govern what follows it ("not by hand", "the old value
            # is not kept"): something after it, and everything after it within its scope.
            first_neg = min(chosen[i] for i, n in enumerate(pattern.neg_slots) if n)
            after = [chosen[i] for i, n in enumerate(pattern.neg_slots) if not n and chosen[i] > first_neg]
            if not after or not all(first_neg in toks[p].negators for p in after):
                return
        yield chosen
        return
    for p in positions:
        t = toks[p]
        if p in chosen or t.masked or t.lemma not in pattern.slots[k]:
            continue
        if pattern.ordered and chosen and p < chosen[-1]:
            continue
        yield from _fill(pattern, toks, positions, k + 1, chosen + (p,))


# -- concepts --------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConceptVerdict:
    status: str  # found | uncertain | missing
    why: str = ""


def judge_concept(concept: "Concept", toks: Sequence[Token], keyword_list: bool) -> ConceptVerdict:
    positive: list[Match] = []
    negative: list[Match] = []
    retracted = False  # the same claim both made and denied ("slow ... not slow at all")
    for phrase in concept.phrases:
        matches = find_matches(compile_pattern(phrase), toks)
        yes = [m for m in matches if not m.negated]
        # Only a real negator retracts a claim ("instead of x += 1" is a contrast, not a denial).
        no = [m for m in matches if m.negated and not m.weak
              and any(toks[n].word in NEGATORS for p in m.positions for n in toks[p].negators)]
        if yes and no and any(not set(n.positions) & set(y.positions) for n in no for y in yes):
            retracted = True
        positive += yes
        negative += no
    for phrase in getattr(concept, "avoid", ()) or ():
        if any(not m.negated for m in find_matches(compile_pattern(phrase), toks, tight=True)):
            return ConceptVerdict("missing", "contradicted")
    strong = [m for m in positive if not m.weak]
    if not positive:
        return ConceptVerdict("missing", "denied" if negative else "")
    if keyword_list:
        return ConceptVerdict("uncertain", "a list of words, not a sentence")
    if retracted:
        return ConceptVerdict("uncertain", "both asserted and denied")
    if not strong:
        return ConceptVerdict("uncertain", "weak evidence")
    return ConceptVerdict("found")


@dataclass(frozen=True)
class RubricResult:
    found: list[str]  # concept ids, in rubric order
    missing: list[str]  # not found and not uncertain
    names_found: list[str]
    names_missing: list[str]
    uncertain: list[str] = field(default_factory=list)
    names_uncertain: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        total = len(self.found) + len(self.missing) + len(self.uncertain)
        return f"You got {len(self.found)}/{total} concepts."

    @property
    def not_found(self) -> list[str]:
        return [*self.uncertain, *self.missing]


DENIALS = frozenset("nothing none no nope nah".split())
HEDGES = frozenset("honestly really just well um uh actually i think".split())


def denies_premise(toks: Sequence[Token]) -> bool:
    """The answer opens by denying the question ("Nothing, PyTorch handles it fine")."""
    first = [t.word for t in toks if t.scope == toks[0].scope] if toks else []
    return bool(first) and any(w in DENIALS for w in first) and all(w in DENIALS | HEDGES for w in first)


def match_concepts(answer: str, rubric: Sequence["Concept"], prompt: str = "") -> RubricResult:
    toks = tokens(answer, prompt)
    listed = is_keyword_list(answer, rubric)
    denied = denies_premise(toks)
    found, uncertain, missing = [], [], []
    for concept in rubric:
        verdict = ConceptVerdict("missing", "denied") if denied else judge_concept(concept, toks, listed)
        {"found": found, "uncertain": uncertain, "missing": missing}[verdict.status].append(concept)
    return RubricResult(
        found=[c.id for c in found],
        missing=[c.id for c in missing],
        names_found=[c.name for c in found],
        names_missing=[c.name for c in missing],
        uncertain=[c.id for c in uncertain],
        names_uncertain=[c.name for c in uncertain],
    )


def score_item(answer: str, item) -> RubricResult:
    """Score an answer to an open question (its rubric, with its prompt for echo detection)."""
    return match_concepts(answer, item.rubric, item.prompt)
