"""``python -m relimpact`` runs the command line."""

from relimpact.cli import main

main()
