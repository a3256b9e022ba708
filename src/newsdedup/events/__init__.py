"""Events: stories that report the same happening, found without being told how many there are.

Per-batch work: the words of each representative story (``words.vector_steps`` counts them a chunk at a
time). Global steps: the idf over the folder (``idf``), the nearest-neighbour graph (``neighbours``, its
similarities fading with time, ``timing``, and never joining two companies' briefs, ``subjects``), the merge
of stories into events (``merge``, undated stories last, ``undated``), and the labels (``labels``).
``cluster.cluster_events`` is the stage.
"""
