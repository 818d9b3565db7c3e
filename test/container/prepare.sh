#!/usr/bin/env bash
# Gets this machine ready to build and run the image for real: docker.io, debootstrap, tini and
# docker-compose (which checks deploy/compose.yaml) from Debian, a running dockerd, local stand-ins
# for the base images (see standins.sh), then the image built from the project's unchanged
# Dockerfile with the legacy builder.
set -euo pipefail
cd "$(dirname "$0")/../.."
IMAGE=${IMAGE:-cloudwatch-publisher:test}

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v tini-static >/dev/null || missing+=(tini)
command -v docker-compose >/dev/null || missing+=(docker-compose)
if ((${#missing[@]})); then
  echo "container: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  echo "container: starting dockerd"
  nohup dockerd >/var/tmp/cwp-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { tail -20 /var/tmp/cwp-dockerd.log; exit 1; }
fi

arg() { sed -n "s/^ARG $1=//p" Dockerfile; }
bash test/container/standins.sh "$(arg NODE_BUILD_IMAGE)" "$(arg RUNTIME_IMAGE)"

echo "container: docker build -t $IMAGE ."
# --network host: the build's npm ci reaches the registry the way this host does.
DOCKER_BUILDKIT=0 docker build --network host -t "$IMAGE" . >/var/tmp/cwp-build.log 2>&1 \
  || { tail -30 /var/tmp/cwp-build.log; exit 1; }
echo "container: layers this project adds on top of the runtime base:"
docker history "$IMAGE" --format '{{.Size}}|{{.CreatedBy}}' --no-trunc \
  | awk -F'|' '$1 != "0B" && ($2 ~ /#\(nop\) COPY/ || $2 ~ /apk add/) { print "  " $1 "\t" substr($2, 1, 90) }' \
  | sed -n '1,/apk add/p'
docker image inspect "$IMAGE" --format 'container: image size with the stand-in base: {{.Size}} bytes (the stand-in base is Debian, not Alpine)'
