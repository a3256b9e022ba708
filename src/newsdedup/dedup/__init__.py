"""Copies and reuse: candidate pairs, exact verification, grades, duplicate groups, shared passages.

The shingle sets and MinHash signatures are per-batch work (``newsdedup.signatures``); candidate pairs
(``candidates``: LSH bands and shingle samples over all stories) and duplicate groups (copies joined to
their original, ``relations.copy_groups``) are global steps; verification of a candidate pair needs only the
two stories (``relations.find_relations`` is the stage), and so do ``forms`` (two items of one series are
no reuse) and ``quotes``; ``sources`` (two stories built on one source) looks at the pairs around a pair.
``rules`` is where the stage asks those three, in this process or on a cluster's workers. ``passages``
finds where two stories share text.
"""
