#!/usr/bin/env bash
# Checks the one-way package arrows: tensor <- nn <- sequential <- wasm.
# tensor imports only the standard library and gonum; only wasm/ imports
# syscall/js; nothing imports wasm.
set -euo pipefail
mod=$(go list -m)
fail=0
while IFS= read -r line; do
  pkg=${line%%:*}; imps=${line#*:}; rel=${pkg#"$mod"}; rel=${rel#/}
  bad=""
  case "$rel" in
    tensor|tensor/*) bad=$(tr ' ' '\n' <<<"$imps" | grep -E "^$mod/|^github.com/|^golang.org/" | grep -vE '^gonum.org/v1/gonum/floats$' || true) ;;
    nn|nn/*) bad=$(tr ' ' '\n' <<<"$imps" | grep -E "^$mod/(nn/|sequential|wasm|demo|js)" || true) ;;
    sequential|sequential/*) bad=$(tr ' ' '\n' <<<"$imps" | grep -E "^$mod/(wasm|demo)" || true) ;;
  esac
  if [ "$rel" != wasm ] && tr ' ' '\n' <<<"$imps" | grep -qx "$mod/wasm"; then bad="$bad $mod/wasm"; fi
  if [ -n "${bad// /}" ]; then echo "arrows: $rel imports $(echo $bad) (the core points one way: tensor <- nn <- sequential <- wasm)"; fail=1; fi
done < <(go list -f '{{.ImportPath}}:{{join .Imports " "}}' ./...)
js=$(grep -rl --include='*.go' '"syscall/js"' . | grep -v '^\./wasm/' | grep -v '/node_modules/' || true)
if [ -n "$js" ]; then echo "arrows: syscall/js used outside wasm/: $js"; fail=1; fi
[ $fail = 0 ] && echo "arrows: ok"
exit $fail
