"""Stories: documents split into stories, their boilerplate, titles, dates and clean text.

Per-batch stages (one document alone): ``build.document_stories`` (``segment`` splits multi-story files,
``boilerplate`` finds lines repeated inside the document and page furniture) and ``build.describe``
(title, date, word counts). One global step: ``outlet_boilerplate`` (passages repeated across the
documents of one outlet), and years inferred from the dates of the whole folder (``build.infer_years``).
``build.build_stories`` runs them in that order. ``clean`` gives the clean text the later stages read.
"""
