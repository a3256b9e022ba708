"""The user's corrections: what they decided (``decisions``), and how decisions change stories'
boilerplate (``boilerplate``), duplicate groups and events (``apply``). The pipeline's tail applies them
on every scan, rescan and regroup.
"""
