"""Reads corpus.txt and prints word statistics, using the wordstats package installed in the
venv, sqlite3 and the time zone database."""
import datetime
import sqlite3
import ssl
import sys
import zoneinfo

import wordstats

with open("corpus.txt", encoding="utf-8") as f:
    text = f.read()

print(f"python {sys.version_info.major}.{sys.version_info.minor}")
for word, count in wordstats.top_words(text):
    print(f"{word:12} {count}")
print("digest", wordstats.digest(text))
print("sqlite says", sqlite3.connect(":memory:").execute("select 6 * 7").fetchone()[0])
print("ssl module loads:", ssl.OPENSSL_VERSION.split()[0])
paris = datetime.datetime.fromtimestamp(1700000000, zoneinfo.ZoneInfo("Europe/Paris"))
print("1700000000 in Paris:", paris.isoformat())
