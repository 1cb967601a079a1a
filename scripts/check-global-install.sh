#!/usr/bin/env bash
# What a user gets from `npm install -g`: packs this checkout (npm pack runs the build), installs
# the tarball globally into a scratch prefix with an empty npm cache (as on a clean machine: every
# package comes from the registry; no dev dependencies, no build step, npm's default of no
# dependency install scripts), then checks it: the size (at most P2PGO_INSTALL_LIMIT_MB, default
# 120), nothing of React Native, and the commands run from another folder with a scratch home:
# --version, --help, bootstrap (started until it prints its addresses, then stopped with SIGINT),
# play (the terminal client in tmux, until the lobby lists the local network's bots, then q),
# and WebRTC (node-datachannel and @libp2p/webrtc load; a data channel carries a message).
# Needs tmux; uses GNU Go for the bots when installed, else p2pgo's built-in player.
# Set P2PGO_CHECK_CACHE=default to reuse the default npm cache (faster, no longer a clean machine).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
limit_mb=${P2PGO_INSTALL_LIMIT_MB:-120}
# Generous bounds for a loaded machine: they catch a hang, they do not measure speed.
wait_s=${P2PGO_CHECK_WAIT_S:-180}

work=$(mktemp -d /tmp/p2pgo-global.XXXXXX)
session="p2pgo-global-$$"
bootstrap_pid=
cleanup () {
  [ -n "$bootstrap_pid" ] && kill "$bootstrap_pid" 2>/dev/null || true
  tmux kill-session -t "$session" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail () { echo "check-global-install: FAIL: $*" >&2; exit 1; }
step () { echo "== $*"; }

step "npm pack"
npm pack --silent --pack-destination "$work" >/dev/null
tarball=$(ls "$work"/p2pgo-*.tgz)

step "npm install -g --prefix (scratch prefix, $([ "${P2PGO_CHECK_CACHE:-}" = default ] && echo 'default cache' || echo 'empty cache'))"
cache_args=()
[ "${P2PGO_CHECK_CACHE:-}" = default ] || cache_args=(--cache "$work/npm-cache")
prefix="$work/prefix"
npm install -g --prefix "$prefix" "${cache_args[@]}" --no-audit --no-fund --loglevel=error "$tarball"
pkg="$prefix/lib/node_modules/p2pgo"
p2pgo="$prefix/bin/p2pgo"
[ -x "$p2pgo" ] || fail "no p2pgo command in $prefix/bin"

size_mb=$(du -sm "$prefix" | cut -f1)
echo "installed size: ${size_mb} MB (limit ${limit_mb} MB)"
du -sm "$pkg"/node_modules/* "$pkg"/node_modules/@*/* 2>/dev/null | sort -n | tail -5 | sed 's/^/  largest: /'
[ "$size_mb" -le "$limit_mb" ] || fail "the global install takes ${size_mb} MB, more than ${limit_mb} MB"

# react-native-webrtc itself is bundled on purpose (README, "Install"): it is what keeps npm from
# installing React Native. Anything of the React Native toolchain is a regression.
rn=$(find "$pkg/node_modules" -type d \( -name react-native -o -name '@react-native' -o -name 'hermes-*' \
  -o -name metro -o -name 'react-devtools-core' -o -name '@babel' \) -prune -print | head -5)
[ -z "$rn" ] || fail "React Native or its toolchain was installed: $rn"
[ ! -e "$pkg/node_modules/mathjs" ] || fail "mathjs was installed (ts-trueskill is a devDependency only)"

# From another folder, with a scratch home: nothing may depend on the checkout or on ~/.p2pgo.
elsewhere="$work/elsewhere"
mkdir -p "$elsewhere"
cd "$elsewhere"
export P2PGO_HOME="$work/home"

step "p2pgo --version"
version=$("$p2pgo" --version)
echo "$version"
want=$(node -p "require('$repo/package.json').version")
[[ "$version" == *"$want"* ]] || fail "p2pgo --version printed '$version', not version $want"

step "p2pgo --help"
"$p2pgo" --help | grep -q 'bootstrap' || fail "p2pgo --help does not list the bootstrap command"
step "p2pgo bootstrap --help"
"$p2pgo" bootstrap --help | grep -q 'Usage: p2pgo bootstrap' || fail "p2pgo bootstrap --help printed no usage"

step "p2pgo bootstrap: start, print its addresses, stop on SIGINT"
"$p2pgo" bootstrap --home "$work/relay" --listen /ip4/127.0.0.1/tcp/0 --stun-port 0 --local \
  >"$work/bootstrap.out" 2>"$work/bootstrap.err" &
bootstrap_pid=$!
for _ in $(seq "$wait_s"); do
  grep -q '/p2p/' "$work/bootstrap.out" && break
  kill -0 "$bootstrap_pid" 2>/dev/null || break
  sleep 1
done
grep -q '/p2p/' "$work/bootstrap.out" || { tail -20 "$work/bootstrap.err" >&2; fail "the bootstrap relay printed no address"; }
sed 's/^/  /' "$work/bootstrap.out"
kill -INT "$bootstrap_pid"
status=0
wait "$bootstrap_pid" || status=$?
bootstrap_pid=
[ "$status" -eq 0 ] || { tail -20 "$work/bootstrap.err" >&2; fail "the bootstrap relay exited $status after SIGINT"; }

step "WebRTC in the installed copy"
timeout "$wait_s" node "$repo/scripts/webrtc-smoke.mjs" "$pkg" || fail "WebRTC does not work in the installed copy"

step "p2pgo play in tmux: the lobby with the local network's bots, then q"
command -v tmux >/dev/null || fail "tmux is needed for the play check"
tmux new-session -d -s "$session" -x 110 -y 32 \
  "cd '$elsewhere' && '$p2pgo' play --home '$work/player' --local --no-rendezvous 2>'$work/play.err'; echo EXITED \$?; sleep 600"
screen=
for _ in $(seq "$wait_s"); do
  screen=$(tmux capture-pane -p -t "$session")
  # A bot's seek line (e.g. "GNU Go 9x9: 9x9 · komi 7.5 · chinese · no clock"): the client, the
  # local bootstrap relay and a bot, all started from the installed copy, found each other.
  grep -q ': 9x9 · komi' <<<"$screen" && break
  grep -q 'EXITED' <<<"$screen" && break
  sleep 1
done
grep -q 'Players online' <<<"$screen" || { echo "$screen"; tail -20 "$work/play.err" >&2; fail "p2pgo play showed no lobby"; }
grep -q ': 9x9 · komi' <<<"$screen" || { echo "$screen"; tail -20 "$work/play.err" >&2; fail "no bot of the local network appeared in the lobby"; }
grep -m1 ': 9x9 · komi' <<<"$screen" | sed 's/^ */  /'
tmux send-keys -t "$session" q
for _ in $(seq "$wait_s"); do
  screen=$(tmux capture-pane -p -t "$session")
  grep -q 'EXITED' <<<"$screen" && break
  sleep 1
done
grep -q 'EXITED 0' <<<"$screen" || { echo "$screen"; tail -20 "$work/play.err" >&2; fail "p2pgo play did not exit 0 after q"; }

echo "check-global-install: OK (${size_mb} MB)"
