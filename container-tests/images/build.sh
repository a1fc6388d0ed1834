#!/usr/bin/env bash
# Builds the local images of images.conf that are missing; an image whose tag exists is skipped,
# so a second run takes no time. There is no registry: rootfs images come from mmdebstrap and
# `docker import`, peer images from layer.Dockerfile on top of them, all from the machine's
# default Debian source. Every image is checked once it is built (java -version, the
# architecture, the peer's binary), and removed again if that check fails.
#
#   build.sh            build every missing image
#   build.sh NAME...    build only these (and the bases of layers among them)
#   build.sh --list     print NAME TAG for each image
#
# Needs: a running Docker daemon, mmdebstrap, and for arm64 images qemu-user-static with the
# binfmt_misc handler for aarch64 enabled (.ci/run sets all of this up). Runs as root, or as a
# user who may use docker and run mmdebstrap (which then needs to be able to unshare).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
conf=$here/images.conf

# name version kind base arch packages, one line per image
entries() {
  grep -vE '^[[:space:]]*(#|$)' "$conf"
}

tag_of() { # name
  local line
  line=$(entries | awk -v n="$1" '$1 == n')
  [ -n "$line" ] || { echo "build.sh: no image '$1' in images.conf" >&2; return 1; }
  awk '{ printf "localhost/poll4j-%s:%s", $1, $2 }' <<<"$line"
}

have_image() { # tag
  [ -n "$(docker images -q "$1" 2>/dev/null)" ]
}

if [ "${1:-}" = "--list" ]; then
  entries | while read -r name _; do printf '%s %s\n' "$name" "$(tag_of "$name")"; done
  exit 0
fi

docker info >/dev/null 2>&1 || { echo "build.sh: no Docker daemon answers" >&2; exit 1; }

wanted=("$@")
if [ ${#wanted[@]} -eq 0 ]; then
  mapfile -t wanted < <(entries | awk '{ print $1 }')
fi
# A layer needs its base: add missing bases to the list.
for name in "${wanted[@]}"; do
  read -r _ _ kind base _ < <(entries | awk -v n="$name" '$1 == n')
  if [ "$kind" = layer ] && ! printf '%s\n' "${wanted[@]}" | grep -qx "$base"; then
    wanted+=("$base")
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/poll4j-images.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Checks a fresh image and removes it if the check fails.
check() { # tag, expected `uname -m`, command...
  local tag=$1 machine=$2 out
  shift 2
  if ! out=$(docker run --rm --network host "$tag" sh -c 'uname -m; "$@"' sh "$@" 2>&1) \
      || [ "$(head -n 1 <<<"$out")" != "$machine" ]; then
    printf '%s\n' "$out" >&2
    docker rmi -f "$tag" >/dev/null 2>&1 || true
    echo "build.sh: $tag failed its check (expected $machine and a working '$*')" >&2
    return 1
  fi
  printf '%s: %s\n' "$tag" "$(tail -n +2 <<<"$out" | head -n 1)"
}

build_rootfs() { # name tag suite arch packages
  local name=$1 tag=$2 suite=$3 arch=$4 packages=$5 machine
  case "$arch" in
    amd64) machine=x86_64 ;;
    arm64) machine=aarch64
      if ! grep -qx enabled /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null; then
        echo "build.sh: $tag needs the qemu-aarch64 binfmt_misc handler (qemu-user-static)" >&2
        return 1
      fi ;;
    *) echo "build.sh: unknown architecture $arch" >&2; return 1 ;;
  esac
  # man1 must exist: update-alternatives links java.1.gz there during openjdk's postinst.
  mmdebstrap --quiet --variant=apt --architectures="$arch" --include="$packages" \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    "$suite" "$work/$name.tar"
  docker import --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' \
    --message "poll4j $name: Debian $suite $arch with $packages" "$work/$name.tar" "$tag" >/dev/null
  rm -f "$work/$name.tar"
  check "$tag" "$machine" java -version
}

build_layer() { # name tag base-name packages
  local name=$1 tag=$2 base packages=$4 binary
  base=$(tag_of "$3")
  have_image "$base" || { echo "build.sh: $tag needs $base, which is missing" >&2; return 1; }
  DOCKER_BUILDKIT=0 docker build --quiet --network host --build-arg "BASE=$base" \
    --build-arg "PACKAGES=$packages" -t "$tag" -f "$here/layer.Dockerfile" "$here" >/dev/null
  case "$packages" in
    redis-server*) binary="redis-server --version" ;;
    nginx*) binary="nginx -v" ;;
    *) binary="true" ;;
  esac
  # shellcheck disable=SC2086 # the check command is split on purpose
  check "$tag" x86_64 $binary
}

# Runs one build with its output in a log; prints the log if it fails.
run_logged() { # name function args...
  local name=$1 start=$SECONDS
  shift
  if "$@" >"$work/$name.log" 2>&1; then
    printf '%s (%d s)\n' "$(tail -n 1 "$work/$name.log")" "$((SECONDS - start))"
  else
    echo "---- build of $name failed after $((SECONDS - start)) s; its log:" >&2
    cat "$work/$name.log" >&2
    return 1
  fi
}

# Rootfs images build in parallel (most of their time is the mirror and dpkg), then layers.
pids=()
names=()
for kindpass in rootfs layer; do
  for name in "${wanted[@]}"; do
    read -r _ _ kind base arch packages < <(entries | awk -v n="$name" '$1 == n')
    [ "$kind" = "$kindpass" ] || continue
    tag=$(tag_of "$name")
    if have_image "$tag"; then
      echo "$tag: present, skipped"
      continue
    fi
    echo "$tag: building ($kind: $base $arch $packages)"
    if [ "$kind" = rootfs ]; then
      run_logged "$name" build_rootfs "$name" "$tag" "$base" "$arch" "$packages" &
    else
      run_logged "$name" build_layer "$name" "$tag" "$base" "$packages" &
    fi
    pids+=($!)
    names+=("$name")
  done
  failed=()
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || failed+=("${names[$i]}")
  done
  pids=()
  names=()
  if [ ${#failed[@]} -gt 0 ]; then
    echo "build.sh: FAILED: ${failed[*]}" >&2
    exit 1
  fi
done
