"""`wordstats FILE` (the console script) and `python -m wordstats FILE`: the same program."""
import sys

import wordstats


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    print(f"python {sys.version_info.major}.{sys.version_info.minor}")
    for word, count in wordstats.top_words(text):
        print(f"{word:12} {count}")
    print("digest", wordstats.digest(text))


if __name__ == "__main__":
    main()
