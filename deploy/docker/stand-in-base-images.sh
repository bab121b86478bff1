#!/usr/bin/env bash
# Builds local stand-ins for the Dockerfile's base images, for machines that reach no image registry:
#   $REGISTRY/dotnet/runtime-deps:$VERSION  Debian bookworm (debootstrap minbase + libssl3 + ca-certificates): what a
#                                           self-contained (Native AOT) .NET program needs, no .NET at all
#   $REGISTRY/dotnet/aspnet:$VERSION        the same + the .NET and ASP.NET Core runtimes of the local .NET install
#   $REGISTRY/dotnet/sdk:$VERSION           the same + the local SDK + curl (the SDK images ship curl too)
#                                           + clang and zlib1g-dev, which the Dockerfile would otherwise install
#                                           for the Native AOT compiler
# All define APP_UID and its non-root "app" user, as the official images do.
#
#   deploy/docker/stand-in-base-images.sh REGISTRY [VERSION]
#   docker build --network host --build-arg DOTNET_IMAGE_REGISTRY=REGISTRY -t glassbox .
#
# Needs root, debootstrap and a Debian mirror (taken from apt's own sources unless DEBIAN_MIRROR is set).
# Does nothing when both images already exist. DOTNET_ROOT picks the .NET install (default: the one on PATH).
set -euo pipefail

registry=${1:?usage: stand-in-base-images.sh REGISTRY [VERSION]}
version=${2:-10.0}
app_uid=1654   # the uid the official .NET images give their "app" user
runtime_deps="$registry/dotnet/runtime-deps:$version"
aspnet="$registry/dotnet/aspnet:$version"
sdk="$registry/dotnet/sdk:$version"
# Bumped whenever what the stand-ins contain changes, so that older stand-ins are rebuilt.
standin_version=2

present() { [ "$(docker image inspect -f '{{index .Config.Labels "glassbox.stand-in"}}' "$1" 2>/dev/null)" = "$standin_version" ]; }
if present "$runtime_deps" && present "$aspnet" && present "$sdk"; then
  echo "stand-in base images present: $runtime_deps $aspnet $sdk"
  exit 0
fi

dotnet_root=${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}
mirror=${DEBIAN_MIRROR:-$(
  { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}';
    grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}'; } \
  | grep -v security | head -n 1 || true)}
if [ -z "$mirror" ]; then
  echo "no Debian mirror found in apt's sources; set DEBIAN_MIRROR" >&2
  exit 1
fi

work=$(mktemp -d)
# (unmounting first: rm -rf must never walk into a mounted /proc)
trap 'for fs in proc sys; do mountpoint -q "$work/rootfs/$fs" 2>/dev/null && umount --lazy "$work/rootfs/$fs"; done; rm -rf "$work"' EXIT
rootfs="$work/rootfs"

echo "debootstrap bookworm from $mirror ..."
debootstrap --variant=minbase --include=libssl3,ca-certificates bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
# debootstrap can leave the target's /proc (and /sys) mounted; nothing of them belongs in an image.
for fs in proc sys; do
  if mountpoint -q "$rootfs/$fs"; then umount --lazy "$rootfs/$fs"; fi
done
echo "app:x:$app_uid:$app_uid::/home/app:/usr/sbin/nologin" >>"$rootfs/etc/passwd"
echo "app:x:$app_uid:" >>"$rootfs/etc/group"
mkdir -p "$rootfs/home/app" && chown "$app_uid:$app_uid" "$rootfs/home/app"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
# Trust what this machine trusts: a machine without a registry often reaches its package feed through a proxy with a local CA.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
  # (its last step, hashing, may need tools minbase lacks; the bundle .NET reads is written before it)
  chroot "$rootfs" update-ca-certificates >/dev/null 2>&1 || true
  grep -q "BEGIN CERTIFICATE" "$rootfs/etc/ssl/certs/ca-certificates.crt"
fi

env_changes=(--change "ENV APP_UID=$app_uid" --change "ENV DOTNET_RUNNING_IN_CONTAINER=true" --change "ENV ASPNETCORE_HTTP_PORTS=8080"
  --change "ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true"
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  --change "LABEL glassbox.stand-in=$standin_version")

# The runtime-deps image: the operating system libraries only.
tar -C "$rootfs" -cf - . | docker import "${env_changes[@]}" - "$runtime_deps" >/dev/null
echo "built $runtime_deps"

# The runtime image: the .NET host and shared frameworks only.
mkdir -p "$rootfs/usr/share/dotnet"
cp -a "$dotnet_root"/dotnet "$dotnet_root"/host "$dotnet_root"/shared "$dotnet_root"/LICENSE.txt "$rootfs/usr/share/dotnet/"
ln -s /usr/share/dotnet/dotnet "$rootfs/usr/bin/dotnet"
# No libicu in these stand-ins (the official images ship it): .NET runs in globalization-invariant mode.
tar -C "$rootfs" -cf - . | docker import "${env_changes[@]}" - "$aspnet" >/dev/null
echo "built $aspnet"

# The SDK image: everything of the local install, plus curl, and clang + zlib1g-dev for Native AOT publishing.
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
echo "deb $mirror bookworm main" >"$rootfs/etc/apt/sources.list"
chroot "$rootfs" apt-get -qq update >"$work/apt.log" 2>&1 && chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get -qq install -y --no-install-recommends curl clang zlib1g-dev >>"$work/apt.log" 2>&1 \
  || { tail -n 30 "$work/apt.log" >&2; exit 1; }
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
: >"$rootfs/etc/resolv.conf"
cp -a "$dotnet_root"/. "$rootfs/usr/share/dotnet/"
tar -C "$rootfs" -cf - . | docker import "${env_changes[@]}" --change "ENV DOTNET_CLI_TELEMETRY_OPTOUT=1" --change "ENV DOTNET_NOLOGO=1" \
  --change "ENV NUGET_CERT_REVOCATION_MODE=${NUGET_CERT_REVOCATION_MODE:-online}" - "$sdk" >/dev/null
echo "built $sdk"
