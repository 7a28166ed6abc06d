"""``python -m ballotgen OUTDIR ...``: see ballotgen.cli."""
from .cli import main

main()
