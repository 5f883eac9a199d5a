import sys

from tallyho.counters import count_lines, count_words


def main() -> None:
    text = " ".join(sys.argv[1:])
    print(f"words={count_words(text)} lines={count_lines(text)}")


def gui() -> None:
    main()
