"""Runs pip's resolver once per request in one interpreter, so that pip's start-up is paid once.

Reads a JSON list of argument lists (each a full `pip install ...` command line without `pip`),
and for each writes a line `RESULT <index> <exit code>` to stdout, with pip's error output saved
beside the report as <report>.err.
"""
import io
import json
import sys

from pip._internal.cli.main import main

requests = json.load(open(sys.argv[1]))
for number, args in enumerate(requests):
    report = args[args.index("--report") + 1]
    captured = io.StringIO()
    real_stderr = sys.stderr
    sys.stderr = captured
    try:
        code = main(args)
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    finally:
        sys.stderr = real_stderr
    with open(report + ".err", "w") as err:
        err.write(captured.getvalue())
    print("RESULT", number, code, flush=True)
