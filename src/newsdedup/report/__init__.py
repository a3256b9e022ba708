"""The HTML report: one self-contained page an editor can send, made from a finished ScanResult.

Not a stage: it reads a result and writes one file. ``contents`` works out what the page shows within its
size limits (the shared passages of the pairs shown side by side are found here, on demand), ``marks`` cuts
a story's text into greyed and coloured pieces, ``timeline`` lays out the SVG timeline, and ``html`` renders
the Jinja2 templates (``templates/``, autoescaped) and writes the file all or nothing.
"""
