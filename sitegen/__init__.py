"""The site: the ``cagette-rules`` MkDocs plugin (a thin adapter over ``site``),
the page registry and the pages with their templates, the decision diagram, the
in-browser checker's files (trimmed Python runtime, form, precompressed
siblings), the Content-Security-Policy and the site server of ``make serve``.
Builds on ``rulebook`` (the rules toolchain) and ``checker`` (the evaluator)."""
