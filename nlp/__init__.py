"""Theme analysis: a framework-free engine (redaction, embeddings, theming, evaluation).

The web layer (jobs and the staff review workbench) lives in `nlp.web` and is the only part
that imports Flask.
"""
