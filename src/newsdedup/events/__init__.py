"""Events: stories that report the same happening, found without being told how many there are.

Per-batch work: the words of each representative story (``cluster.vector_steps`` counts them a chunk at a
time). Global steps: the idf over the folder (``idf``), the nearest-neighbour graph and the merge of
stories into events (``merge``), and the labels (``labels``). ``cluster.cluster_events`` is the stage.
"""
