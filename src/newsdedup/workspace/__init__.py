"""Workspaces: one SQLite file per project (``file`` opens it safely, ``schema`` lays it out, ``store`` is
the Workspace object) that keeps the folders, the last scan (``saved_scan``) and the user's decisions.
A rescan (``rescan``) reads only the files that changed (``changes``) and runs the pipeline's tail.
"""
