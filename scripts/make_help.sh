#!/usr/bin/env bash
# make help: prints the "## target: what it does" lines of a Makefile as a
# table, and fails naming any .PHONY target that has no such line, so the
# list cannot fall behind the Makefile.
set -euo pipefail
mk=${1:-Makefile}
awk '
  /^\.PHONY:/ { for (i = 2; i <= NF; i++) phony[$i] = 1 }
  /^## [A-Za-z0-9_.-]+: / {
    name = $2; sub(/:$/, "", name)
    text = $0; sub(/^## [A-Za-z0-9_.-]+: /, "", text)
    doc[name] = text; order[++n] = name
  }
  END {
    for (i = 1; i <= n; i++) printf "  make %-16s %s\n", order[i], doc[order[i]]
    bad = 0
    for (t in phony) if (!(t in doc)) { printf "make help: target %s has no \"## %s: ...\" line\n", t, t > "/dev/stderr"; bad = 1 }
    exit bad
  }
' "$mk"
