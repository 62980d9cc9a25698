"""Build side: strict loading of ``data/rules.yaml``, validation, compilation
to the checker's JSON, the ``cagette-rules`` CLI and the MkDocs plugin."""
