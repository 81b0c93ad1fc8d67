"""Writing charts from the command line: the output path checked before any work, the file saved."""

from __future__ import annotations

import sys


def write_chart(fig: object, path: str, option: str = "--output") -> int:
    """Save a chart (shared by ``tokstats plot`` and ``tokstats cost --plot``) and say so on stderr."""
    from tokstats.plots._style import save

    fmt = save(fig, path, option)  # type: ignore[arg-type]
    print(f"wrote {path} ({fmt.upper()})", file=sys.stderr)
    return 0


def check_output_path(path: str, option: str = "--output") -> None:
    """Refuse an unknown image suffix (and create a missing folder) before measuring anything."""
    from tokstats.plots._style import check_output

    check_output(path, option)
