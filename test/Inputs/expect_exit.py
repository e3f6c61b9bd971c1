"""expect_exit.py CODE CMD...: runs CMD, prints its stderr then stdout, and fails unless CMD
exited with CODE. Lets lit tests check exact exit codes (1 = error, 2 = usage) and messages."""
import subprocess
import sys

code = int(sys.argv[1])
p = subprocess.run(sys.argv[2:], capture_output=True, text=True)
sys.stdout.write(p.stderr)
sys.stdout.write(p.stdout)
if p.returncode != code:
    sys.stdout.write("expect_exit: exit code %d, expected %d\n" % (p.returncode, code))
    sys.exit(1)
