"""Reading: folders and files in, documents out (one per file, or per record of a .json/.jsonl file).

Per-batch stage: ``files.read_one`` reads one file and needs nothing else, so files can be read in chunks
(and ``pieces.read_piece`` one piece of a big JSON Lines file),
in other processes or on cluster workers; ``files.read_paths`` is the stage over a whole set of paths.
``formats`` knows each kind of file, ``decoding`` finds a text file's encoding. A file that cannot be read
becomes a Problem with its path and reason; it never stops the scan.
"""
