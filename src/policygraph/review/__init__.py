"""Human review: a coder's decisions on extracted facts, kept in a file under version
control and in the store's review graph, re-applied on every build.

model.py (decisions as values), file.py (the locked, atomic decisions file), locate.py
(finding a decision's fact again), apply.py and facts.py (the review graph), app.py (the
review page of `serve --review`), agreement.py (precision per rule, inter-coder agreement),
dna.py (the Discourse Network Analyzer's statement table).
"""
