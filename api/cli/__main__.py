"""``python -m talentgap.api.cli``: the same as the ``talentgap`` command."""

from talentgap.api.cli import main

if __name__ == "__main__":
    main()
