"""``python -m composer.cli``: the same entry point as the ``composer`` script."""

from composer.cli import main

main()
