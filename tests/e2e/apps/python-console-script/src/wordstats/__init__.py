"""Word statistics for a text."""
import collections
import re

__all__ = ["top_words", "digest"]


def top_words(text, n=5):
    words = re.findall(r"[a-z']+", text.lower())
    counts = collections.Counter(w for w in words if len(w) > 3)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def digest(text):
    import hashlib

    return hashlib.sha256(text.encode()).hexdigest()[:16]
