#!/usr/bin/env bash
# The NAT lab: a small simulated internet of Linux network namespaces (see README.md beside this file).
#
#   lab.sh check                   exit 1 naming the Debian packages to install if anything is missing
#   lab.sh up PREFIX [PEER...]     build a lab; print its description as JSON on stdout
#   lab.sh lan-up PREFIX [N]       build a LAN with no internet instead: N hosts (default 4) on
#                                  192.168.77.0/24 joined by a bridge; print its description as JSON
#   lab.sh ipv6-on PREFIX PEER:N[:open]...  give peers of a lab built by `up` global IPv6
#                                  (3fff::/20) behind a stateful firewall on their router (none
#                                  with :open); prints JSON
#   lab.sh down PREFIX             tear it down (idempotent)
#   lab.sh down-all [--stale]      tear down every lab on this machine (--stale: only those whose
#                                  owning process, the number in the prefix, is gone)
#
# PREFIX starts with "p2l", ends with "-" and holds only [a-z0-9] between (e.g. p2l4242-); the
# harness puts its own PID in it. Each PEER is a kind followed by a number (upnp1, upnp2, eim1,
# sym1, double1, double-upnp1, public1, ...): every peer gets its own router(s), so a kind can
# appear twice.
# Default peers: upnp1 eim1 sym1 double1 public1.
#
# Nothing here touches the host's network namespace: every veth is created between two lab
# namespaces, and the lab's "internet" router has no route out.
set -euo pipefail

src=${BASH_SOURCE[0]}
[[ $src == */* ]] || src=./$src
readonly here=$(cd "${src%/*}" && pwd)
readonly state_root=/run/p2lab
readonly packages='iproute2 nftables iptables miniupnpd-iptables miniupnpc'
readonly stun_port=${LAB_STUN_PORT:-3478}
readonly upnp_http_port=5000
readonly pub_ip=203.0.113.10   # bootstrap relay and STUN server
readonly pub_ip2=203.0.113.11  # second address, so a peer can ask STUN from two destinations
readonly inet_wan=198.51.100.1 # the inet router's address on every link towards a home router
readonly inet_pub=203.0.113.1  # the inet router's address on every link towards a public host

log () { echo "lab: $*" >&2; }
die () { echo "lab: $*" >&2; exit 1; }

check () {
  local problems=() missing=() tool
  ((EUID == 0)) || problems+=("must run as root (network namespaces, nftables and miniupnpd need it): sudo npm run test:lab.")
  for tool in ip nft iptables-legacy iptables-legacy-save miniupnpd upnpc node; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  # Not `ldd | grep -q`: under pipefail, grep quitting early can fail the pipeline with SIGPIPE.
  if ((${#missing[@]} == 0)) && [[ $(ldd "$(command -v miniupnpd)" 2>/dev/null) != *libip4tc* ]]; then
    missing+=("miniupnpd's iptables build (the installed one is the nftables build)")
  fi
  if ((${#missing[@]} > 0)); then
    problems+=("missing: ${missing[*]}. Install the Debian packages: apt-get install -y $packages")
  fi
  ((${#problems[@]} == 0)) || die "${problems[*]}"
}

check_prefix () {
  [[ ${1:-} =~ ^p2l[a-z0-9]+-$ ]] || die "bad prefix '${1:-}': want p2l, then [a-z0-9]+, then '-' (e.g. p2l$$-)"
}

nsx () { local ns=$1; shift; ip netns exec "$ns" "$@"; }

ns_add () {
  ip netns add "$1"
  # No IPv6: the lab is IPv4 only, and link-local chatter would only blur the counters.
  nsx "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$1" link set lo up
  # Per-flow packet counters (source . destination . protocol) on every hook that sees IPv4,
  # read by lab.counters(). Priority -300 counts packets before any filter can drop them.
  nsx "$1" nft -f - <<EOF
table ip labcount {
  set flows { type ipv4_addr . ipv4_addr . inet_proto; flags dynamic; counter; size 65535; }
  chain input { type filter hook input priority -300; policy accept;
    update @flows { ip saddr . ip daddr . meta l4proto }
  }
  chain output { type filter hook output priority -300; policy accept;
    update @flows { ip saddr . ip daddr . meta l4proto }
  }
  chain forward { type filter hook forward priority -300; policy accept;
    update @flows { ip saddr . ip daddr . meta l4proto }
  }
}
EOF
}

# veth NS_A IF_A NS_B IF_B: a cable between two lab namespaces, created inside NS_A.
veth () {
  ip -n "$1" link add "$2" type veth peer name "$4" netns "$3"
  ip -n "$1" link set "$2" up
  ip -n "$3" link set "$4" up
}

forwarding () { nsx "$1" sysctl -qw net.ipv4.ip_forward=1; }

# nft_nat NS [MASQUERADE_FLAGS]: a home router on nftables: masquerade out of wan0, drop whatever
# arrives unsolicited on wan0 (input and forward), count the drops in the named counter wan_drop.
nft_nat () {
  nsx "$1" nft -f - <<EOF
table ip labnat {
  counter wan_drop { }
  chain input { type filter hook input priority 0; policy accept;
    iifname "wan0" ct state established,related accept
    iifname "wan0" counter name wan_drop drop
  }
  chain forward { type filter hook forward priority 0; policy accept;
    iifname "wan0" ct state established,related accept
    iifname "wan0" counter name wan_drop drop
  }
  chain postrouting { type nat hook postrouting priority 100; policy accept;
    oifname "wan0" masquerade ${2:-}
  }
}
EOF
}

# ipt_upnp NS: a home router on legacy iptables, because Debian's miniupnpd-iptables writes its
# port mappings through libiptc into the chains it expects: MINIUPNPD (nat, mangle, filter) and
# MINIUPNPD-POSTROUTING (nat). Same filtering as nft_nat; drops carry the comment wan_drop.
ipt_upnp () {
  local ipt=(ip netns exec "$1" iptables-legacy -w)
  "${ipt[@]}" -t nat -N MINIUPNPD
  "${ipt[@]}" -t nat -A PREROUTING -i wan0 -j MINIUPNPD
  "${ipt[@]}" -t nat -N MINIUPNPD-POSTROUTING
  "${ipt[@]}" -t nat -A POSTROUTING -o wan0 -j MINIUPNPD-POSTROUTING
  "${ipt[@]}" -t nat -A POSTROUTING -o wan0 -j MASQUERADE
  "${ipt[@]}" -t mangle -N MINIUPNPD
  "${ipt[@]}" -t mangle -A PREROUTING -i wan0 -j MINIUPNPD
  "${ipt[@]}" -t filter -N MINIUPNPD
  "${ipt[@]}" -A INPUT -i wan0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  "${ipt[@]}" -A INPUT -i wan0 -m comment --comment wan_drop -j DROP
  "${ipt[@]}" -A FORWARD -i wan0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  "${ipt[@]}" -A FORWARD -i wan0 ! -o wan0 -j MINIUPNPD
  "${ipt[@]}" -A FORWARD -i wan0 -m comment --comment wan_drop -j DROP
}

# start NS NAME CMD...: a daemon inside NS, detached from this script, output in the state dir.
start () {
  local ns=$1 name=$2; shift 2
  nsx "$ns" setsid "$@" </dev/null >"$state/$name.log" 2>&1 &
  echo $! >"$state/$name.pid"
}

# wait_for FILE PATTERN SECONDS WHAT
wait_for () {
  local i
  for ((i = 0; i < $3 * 20; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  die "$4 not ready after $3 s; its log ($1):$(printf '\n'; tail -n 20 "$1" 2>/dev/null)"
}

# Gives a home router (already joined to its upstream by wan0) a LAN with one peer namespace.
lan () {
  local gw=$1 peer=$2 net=$3
  veth "$gw" lan0 "$peer" eth0
  ip -n "$gw" addr add "$net.1/24" dev lan0
  ip -n "$peer" addr add "$net.2/24" dev eth0
  ip -n "$peer" route add default via "$net.1"
}

# Joins NS to the inet router through interface INET_IF with a point-to-point /32 link: every home
# router sees the inet router as 198.51.100.1 (public hosts: 203.0.113.1), so addresses stay short.
uplink () {
  local ns=$1 ifname=$2 addr=$3 inet_if=$4 gateway=$5
  veth "$inet" "$inet_if" "$ns" "$ifname"
  ip -n "$inet" addr add "$gateway" peer "$addr" dev "$inet_if"
  ip -n "$ns" addr add "$addr" peer "$gateway" dev "$ifname"
  ip -n "$ns" route add default via "$gateway"
}

# miniupnpd_conf LAN_NET [STUN_HOST]: the router's miniupnpd, asking STUN_HOST (default the public
# STUN server) for its external address.
miniupnpd_conf () {
  local net=$1 stun_host=${2:-$pub_ip}
  cat <<EOF
ext_ifname=wan0
listening_ip=lan0
http_port=$upnp_http_port
enable_upnp=yes
enable_natpmp=yes
# The WAN address is in a documentation range, which miniupnpd counts as reserved: it maps ports
# only once STUN has shown it the same address from outside, unfiltered. It also reports no
# external address at all (an empty GetExternalIPAddress) while its own is reserved and unconfirmed.
ext_perform_stun=yes
ext_stun_host=$stun_host
ext_stun_port=$stun_port
secure_mode=yes
system_uptime=yes
notify_interval=30
uuid=$(cat /proc/sys/kernel/random/uuid)
allow 1024-65535 $net.0/24 1024-65535
deny 0-65535 0.0.0.0/0 0-65535
EOF
}

up () {
  local prefix=$1; shift
  local specs=("$@")
  ((${#specs[@]} > 0)) || specs=(upnp1 eim1 sym1 double1 public1)
  ((${#specs[@]} <= 60)) || die "at most 60 peers"
  if [[ $'\n'$(ip netns list) == *$'\n'"$prefix"* ]]; then die "a lab with prefix $prefix already exists (lab.sh down $prefix)"; fi
  state=$state_root/$prefix
  rm -rf "$state"
  mkdir -p "$state"
  # A half-built lab is torn down before the error is reported.
  trap 'rc=$?; if ((rc != 0)); then down "$prefix" >/dev/null 2>&1 || true; fi' EXIT

  inet=${prefix}inet
  local pub=${prefix}pub
  ns_add "$inet"
  forwarding "$inet"
  ns_add "$pub"
  uplink "$pub" eth0 "$pub_ip" pub0 "$inet_pub"
  ip -n "$pub" addr add "$pub_ip2/32" dev eth0
  ip -n "$inet" route add "$pub_ip2/32" via "$pub_ip" dev pub0

  start "$pub" stun node "$here/stun-responder.mjs" "$pub_ip:$stun_port" "$pub_ip2:$stun_port"
  local upnp_waits=()

  local peers_json=() i=0 spec kind ns gw cgn net wan
  for spec in "${specs[@]}"; do
    i=$((i + 1))
    [[ $spec =~ ^(upnp|eim|sym|double-upnp|double|public)[0-9]+$ ]] || die "bad peer '$spec': want upnp|eim|sym|double|double-upnp|public and a number"
    kind=${BASH_REMATCH[1]}
    ns=$prefix$spec
    [[ ! -e /run/netns/$ns ]] || die "peer $spec given twice"
    net=10.0.$i
    wan=198.51.100.$((10 + i))
    ns_add "$ns"
    case $kind in
      public)
        local addr=203.0.113.$((20 + i))
        uplink "$ns" eth0 "$addr" "w$i" "$inet_pub"
        peers_json+=("$(printf '{"name":"%s","kind":"%s","ns":"%s","ip":"%s","publicIp":"%s"}' \
          "$spec" "$kind" "$ns" "$addr" "$addr")")
        continue
        ;;
    esac
    gw=$ns-gw
    ns_add "$gw"
    forwarding "$gw"
    local router_json cgn_json=''
    case $kind in
      eim) uplink "$gw" wan0 "$wan" "w$i" "$inet_wan"; nft_nat "$gw" ;;
      # Linux picks the NAT port by a hash that includes the destination (random) and then
      # randomises it per connection (fully-random): each destination sees a new port.
      sym) uplink "$gw" wan0 "$wan" "w$i" "$inet_wan"; nft_nat "$gw" 'random,fully-random' ;;
      upnp) uplink "$gw" wan0 "$wan" "w$i" "$inet_wan"; ipt_upnp "$gw" ;;
      double|double-upnp)
        # Carrier-grade NAT (endpoint-independent, RFC 6888) on the inet side, its subscribers
        # in 100.64.0.0/10 (RFC 6598 shared address space), then an ordinary home router
        # (double-upnp: one that runs miniupnpd, like upnp).
        cgn=$ns-cgn
        ns_add "$cgn"
        forwarding "$cgn"
        uplink "$cgn" wan0 "$wan" "w$i" "$inet_wan"
        nft_nat "$cgn"
        veth "$cgn" lan0 "$gw" wan0
        ip -n "$cgn" addr add "100.64.$i.1/24" dev lan0
        ip -n "$gw" addr add "100.64.$i.2/24" dev wan0
        ip -n "$gw" route add default via "100.64.$i.1"
        if [[ $kind == double ]]; then nft_nat "$gw"; else ipt_upnp "$gw"; fi
        cgn_json=$(printf ',"cgn":{"ns":"%s","wan":"%s","lan":"100.64.%s.1"}' "$cgn" "$wan" "$i")
        ;;
    esac
    lan "$gw" "$ns" "$net"
    local gw_wan=$wan
    [[ $kind != double* ]] || gw_wan=100.64.$i.2
    router_json=$(printf '"router":{"ns":"%s","wan":"%s","lan":"%s.1"}' "$gw" "$gw_wan" "$net")
    peers_json+=("$(printf '{"name":"%s","kind":"%s","ns":"%s","ip":"%s.2","publicIp":"%s",%s%s}' \
      "$spec" "$kind" "$ns" "$net" "$wan" "$router_json" "$cgn_json")")
    case $kind in
      upnp) upnp_waits+=("$spec:$i") ;;
      double-upnp)
        # miniupnpd asks a STUN server on the carrier's side of the CGN (100.64.N.1), which sees the
        # router's own WAN address: it takes 100.64.N.2 for its external address and reports it over
        # UPnP, as most home routers report their WAN address behind a carrier-grade NAT. (Asking
        # the public STUN server instead, it would report the CGN's public address and hide the
        # double NAT; asking none, it would report no address.)
        start "$cgn" "$spec-cgn-stun" node "$here/stun-responder.mjs" "100.64.$i.1:$stun_port"
        upnp_waits+=("$spec:$i:100.64.$i.1")
        ;;
    esac
  done

  wait_for "$state/stun.log" "listening $pub_ip2" 10 "STUN responder"
  local entry
  local stun_host
  for entry in ${upnp_waits[@]+"${upnp_waits[@]}"}; do
    IFS=: read -r spec i stun_host <<<"$entry"
    [[ -z $stun_host ]] || wait_for "$state/$spec-cgn-stun.log" "listening $stun_host" 10 "STUN responder of $spec's CGN"
    miniupnpd_conf "10.0.$i" $stun_host >"$state/$spec-miniupnpd.conf"
    start "$prefix$spec-gw" "$spec-miniupnpd" miniupnpd -d -f "$state/$spec-miniupnpd.conf" -P "$state/$spec-miniupnpd.pidfile"
  done
  for entry in ${upnp_waits[@]+"${upnp_waits[@]}"}; do
    spec=${entry%%:*}
    wait_for "$state/$spec-miniupnpd.log" 'Port forwarding is now enabled' 15 "miniupnpd of $spec"
    wait_for "$state/$spec-miniupnpd.log" "HTTP listening on port $upnp_http_port" 5 "miniupnpd of $spec"
  done

  local IFS=,
  printf '{"prefix":"%s","stateDir":"%s","inet":{"ns":"%s"},"pub":{"ns":"%s","ip":"%s","ip2":"%s","stunPort":%s},"upnpHttpPort":%s,"peers":[%s]}\n' \
    "$prefix" "$state" "$inet" "$pub" "$pub_ip" "$pub_ip2" "$stun_port" "$upnp_http_port" "${peers_json[*]}"
  trap - EXIT
}

# The LAN with no internet (lan-up): a club's Wi-Fi router with nothing plugged into its WAN port.
# Its namespace ("switch") holds the bridge br0 with the router's address 192.168.77.1 and no
# other interface, no forwarding; N hosts on 192.168.77.0/24, each joined to the bridge by its own
# veth, with their default route via the router (as DHCP would give them), which leads nowhere.
# Multicast is on everywhere (mDNS must cross the bridge), and the bridge does no IGMP snooping:
# like a cheap switch, it floods multicast to every port. IPv6 stays on (link-local addresses
# only), as on a real LAN host.
readonly lan_net=192.168.77
lan_up () {
  local prefix=$1 count=${2:-4}
  [[ $count =~ ^[0-9]+$ ]] && ((count >= 1 && count <= 60)) || die "lan-up: want 1 to 60 hosts, got '$count'"
  if [[ $'\n'$(ip netns list) == *$'\n'"$prefix"* ]]; then die "a lab with prefix $prefix already exists (lab.sh down $prefix)"; fi
  state=$state_root/$prefix
  rm -rf "$state"
  mkdir -p "$state"
  trap 'rc=$?; if ((rc != 0)); then down "$prefix" >/dev/null 2>&1 || true; fi' EXIT

  local switch=${prefix}switch hosts_json=() i ns ip
  ns_add "$switch"
  ip -n "$switch" link add br0 type bridge mcast_snooping 0
  ip -n "$switch" link set br0 multicast on up
  ip -n "$switch" addr add "$lan_net.1/24" dev br0
  for ((i = 1; i <= count; i++)); do
    ns=${prefix}host$i
    ip=$lan_net.$((10 + i))
    ns_add "$ns"
    nsx "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0
    ip -n "$switch" link add "p$i" type veth peer name eth0 netns "$ns"
    ip -n "$switch" link set "p$i" master br0 multicast on up
    ip -n "$ns" link set eth0 multicast on up
    ip -n "$ns" addr add "$ip/24" dev eth0
    ip -n "$ns" route add default via "$lan_net.1"
    hosts_json+=("$(printf '{"name":"host%s","ns":"%s","ip":"%s"}' "$i" "$ns" "$ip")")
  done
  local IFS=,
  printf '{"prefix":"%s","stateDir":"%s","switch":{"ns":"%s"},"net":"%s.0/24","gateway":"%s.1","hosts":[%s]}\n' \
    "$prefix" "$state" "$switch" "$lan_net" "$lan_net" "${hosts_json[*]}"
  trap - EXIT
}

# ipv6-on: global IPv6 beside the IPv4 NAT, as a home router with an IPv6 prefix gives it. Each
# named peer (of a lab already built by `up`; PEER:N is its name and its position, e.g. sym1:1)
# gets 3fff:0:0:N::2/64 behind its home router (3fff:0:0:N::1), the router an uplink
# 3fff:0:ffff:N::2 to inet (3fff:0:ffff:N::1), and inet a route to the prefix. 3fff::/20 is the
# IPv6 documentation range of RFC 9637; libp2p counts it as public (2001:db8::/32 it counts as
# private, and an IPv6 range cannot be declared public through P2PGO_PUBLIC_RANGES). The router
# does no NAT66; it filters as home routers do: what arrives on wan0 passes only as an answer
# (conntrack) or as neighbour discovery, the rest is dropped and counted (wan6_drop); PEER:N:open
# gets a router that filters no IPv6 at all. Every
# namespace touched counts IPv6 flows in `ip6 labcount6` (set flows6).
ipv6_ns () {
  nsx "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0
  nsx "$1" nft -f - <<EOF
table ip6 labcount6 {
  set flows6 { type ipv6_addr . ipv6_addr . inet_proto; flags dynamic; counter; size 65535; }
  chain input { type filter hook input priority -300; policy accept;
    update @flows6 { ip6 saddr . ip6 daddr . meta l4proto }
  }
  chain output { type filter hook output priority -300; policy accept;
    update @flows6 { ip6 saddr . ip6 daddr . meta l4proto }
  }
  chain forward { type filter hook forward priority -300; policy accept;
    update @flows6 { ip6 saddr . ip6 daddr . meta l4proto }
  }
}
EOF
}

ipv6_on () {
  local prefix=$1; shift
  local inet=${prefix}inet entry spec i open ns gw peers_json=()
  [[ -e /run/netns/$inet ]] || die "ipv6-on: no lab $prefix (lab.sh up first)"
  ipv6_ns "$inet"
  nsx "$inet" sysctl -qw net.ipv6.conf.all.forwarding=1
  # pub (the bootstrap relay's host) gets 3fff:0:fffe::10, unfiltered, as a server has it.
  local pub=${prefix}pub
  ipv6_ns "$pub"
  ip -n "$inet" -6 addr add 3fff:0:fffe::1/64 dev pub0 nodad
  ip -n "$pub" -6 addr add 3fff:0:fffe::10/64 dev eth0 nodad
  ip -n "$pub" -6 route add default via 3fff:0:fffe::1 dev eth0
  for entry in "$@"; do
    [[ $entry =~ ^((upnp|eim|sym)[0-9]+):([0-9]+)(:open)?$ ]] || die "ipv6-on: bad peer '$entry': want upnp|eim|sym, a number, ':', its position and optionally ':open'"
    spec=${BASH_REMATCH[1]} i=${BASH_REMATCH[3]} open=${BASH_REMATCH[4]}
    ns=$prefix$spec gw=$prefix$spec-gw
    [[ -e /run/netns/$gw ]] || die "ipv6-on: no router $gw"
    ipv6_ns "$gw"
    ipv6_ns "$ns"
    nsx "$gw" sysctl -qw net.ipv6.conf.all.forwarding=1
    ip -n "$inet" -6 addr add "3fff:0:ffff:$i::1/64" dev "w$i" nodad
    ip -n "$gw" -6 addr add "3fff:0:ffff:$i::2/64" dev wan0 nodad
    ip -n "$inet" -6 route add "3fff:0:0:$i::/64" via "3fff:0:ffff:$i::2" dev "w$i"
    ip -n "$gw" -6 route add default via "3fff:0:ffff:$i::1" dev wan0
    ip -n "$gw" -6 addr add "3fff:0:0:$i::1/64" dev lan0 nodad
    ip -n "$ns" -6 addr add "3fff:0:0:$i::2/64" dev eth0 nodad
    ip -n "$ns" -6 route add default via "3fff:0:0:$i::1" dev eth0
    # ':open': a router that lets IPv6 in (some do, or the user opened it): no filter at all.
    [[ -n $open ]] || nsx "$gw" nft -f - <<EOF
table ip6 labfw6 {
  counter wan6_drop { }
  chain input { type filter hook input priority 0; policy accept;
    iifname "wan0" ct state established,related accept
    iifname "wan0" icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept
    iifname "wan0" counter name wan6_drop drop
  }
  chain forward { type filter hook forward priority 0; policy accept;
    iifname "wan0" ct state established,related accept
    iifname "wan0" counter name wan6_drop drop
  }
}
EOF
    peers_json+=("$(printf '"%s":"3fff:0:0:%s::2"' "$spec" "$i")")
  done
  local IFS=,
  printf '{"pub":"3fff:0:fffe::10",%s}\n' "${peers_json[*]}"
}

ns_pids () {
  local ns
  for ns in "$@"; do ip netns pids "$ns" 2>/dev/null || true; done
}

down () {
  local prefix=$1 namespaces ns pids i
  namespaces=$(ip netns list | awk '{print $1}' | grep "^$prefix" || true)
  if [[ -n $namespaces ]]; then
    # Processes first: a namespace deleted under a running process lives on, anonymous.
    pids=$(ns_pids $namespaces)
    if [[ -n $pids ]]; then
      kill -TERM $pids 2>/dev/null || true
      for ((i = 0; i < 20; i++)); do
        pids=$(ns_pids $namespaces)
        [[ -n $pids ]] || break
        sleep 0.05
      done
      [[ -z $pids ]] || kill -KILL $pids 2>/dev/null || true
    fi
    for ns in $namespaces; do ip netns delete "$ns" 2>/dev/null || true; done
  fi
  # Veths are made inside lab namespaces and die with them; this catches any that were not.
  local link
  for link in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep "^$prefix" || true); do
    ip link delete "$link" 2>/dev/null || true
  done
  rm -rf "${state_root:?}/$prefix"
}

down_all () {
  local stale=${1:-} prefix owner
  local prefixes
  prefixes=$( (ip netns list | awk '{print $1}'; ls "$state_root" 2>/dev/null || true) |
    grep -o '^p2l[a-z0-9]*-' | sort -u || true)
  for prefix in $prefixes; do
    if [[ $stale == --stale ]]; then
      # Labs named without a PID are never stale; labs whose owner still runs are in use.
      [[ $prefix =~ ^p2l([0-9]+) ]] || continue
      owner=${BASH_REMATCH[1]}
      ! kill -0 "$owner" 2>/dev/null || continue
    fi
    log "tearing down $prefix"
    down "$prefix"
  done
}

case ${1:-} in
  check) check ;;
  up) check; check_prefix "${2:-}"; up "$2" "${@:3}" ;;
  lan-up) check; check_prefix "${2:-}"; lan_up "$2" "${@:3}" ;;
  ipv6-on) check_prefix "${2:-}"; ipv6_on "$2" "${@:3}" ;;
  down) check_prefix "${2:-}"; down "$2" ;;
  down-all) down_all "${2:-}" ;;
  *) die "usage: lab.sh check | up PREFIX [PEER...] | lan-up PREFIX [N] | ipv6-on PREFIX PEER:N... | down PREFIX | down-all [--stale]" ;;
esac
