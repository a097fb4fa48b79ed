"""Build the knowledge graph into dist/ (same as `kg build`)."""
import sys

from kg.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
