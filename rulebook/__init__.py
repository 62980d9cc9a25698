"""The rules language toolchain: read ``rules.yaml`` with positions, check it
(declaration, references, the whole answer space), compile it for the checker,
run the golden scenarios, show the impact of an edit, and the ``cagette-rules``
command. Builds on ``checker`` (the evaluator); knows nothing of the site."""
