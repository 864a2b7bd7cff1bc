"""The ``csmetrics`` command line."""

import sys


def main(argv=None):
    """Entry point of the ``csmetrics`` console script."""
    print("csmetrics: the batch report command arrives with the templates (issue 5); not yet.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
