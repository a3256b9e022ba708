"""newsdedup: copies of wire stories, page furniture, same-event stories and shared passages in news folders."""

__version__ = "0.1.0"
