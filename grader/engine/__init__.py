"""Grading: hidden tests run here, in the trusted process; the student's code in the sandbox.

| module | holds |
|---|---|
| runner | grade one file against one exercise (pytest in-process, our plugins only) |
| plugin | the pytest plugin that turns hidden-test outcomes into scored results |
| fixtures | the fixtures hidden tests use: student, seed, rng, record, exercise, source |
| results | what a grading produces (torch-free) |
| constraints | machine checks of a manifest's constraints on the student's source |
| diagnose/ | naming the autograd mistake behind a failure (rules in rules.toml) |
| pool | grading many files in trusted grading processes |
| warm | starting the sandbox early and preparing this process for grading |
| check | the authoring self-check (`grade check`) |
"""
