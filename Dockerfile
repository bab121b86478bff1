# syntax=docker/dockerfile:1
#
# Glassbox images, built from the repository root:
#   docker build -t glassbox/gateway .                                   (default: the gateway)
#   docker build -t glassbox/simulated-upstream --target simulator .    (the fake LLM provider)
#
# The gateway is published as a Native AOT executable and shipped on runtime-deps (operating system libraries
# only: no .NET runtime, no SDK; it runs from its ENTRYPOINT without a shell), as the non-root "app" user.
# DOTNET_IMAGE_REGISTRY lets a machine without access to the public .NET images point the
# build at a mirror (or at locally tagged copies).
ARG DOTNET_IMAGE_REGISTRY=mcr.microsoft.com
ARG DOTNET_VERSION=10.0

# ---- build: restore and publish both apps --------------------------------------------------
FROM ${DOTNET_IMAGE_REGISTRY}/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
# The Native AOT compiler links with clang and needs zlib's headers; the SDK images do not ship them.
RUN if ! command -v clang >/dev/null || [ ! -e /usr/include/zlib.h ]; then \
      apt-get update && apt-get install -y --no-install-recommends clang zlib1g-dev && rm -rf /var/lib/apt/lists/*; \
    fi

# Restore first, from the project files only, so the restore layer is cached across code edits.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Gateway/Gateway.csproj src/Gateway/
COPY src/SimulatedUpstream/SimulatedUpstream.csproj src/SimulatedUpstream/
# The native build is for this machine's architecture (linux-x64 or linux-arm64), restored for it up front.
RUN case "$(uname -m)" in aarch64) echo linux-arm64 ;; *) echo linux-x64 ;; esac >/rid \
 && dotnet restore src/Gateway/Gateway.csproj -r "$(cat /rid)" \
 && dotnet restore src/SimulatedUpstream/SimulatedUpstream.csproj

COPY src/Gateway/ src/Gateway/
COPY src/SimulatedUpstream/ src/SimulatedUpstream/
RUN dotnet publish src/Gateway/Gateway.csproj -c Release --no-restore -r "$(cat /rid)" -o /out/gateway \
 && dotnet publish src/SimulatedUpstream/SimulatedUpstream.csproj -c Release --no-restore -o /out/simulator -p:UseAppHost=false

# ---- simulator: the simulated upstream (docker build --target simulator) --------------------
FROM ${DOTNET_IMAGE_REGISTRY}/dotnet/aspnet:${DOTNET_VERSION} AS simulator
WORKDIR /app
COPY --from=build /out/simulator ./
EXPOSE 9100
# The .NET images ship a non-root "app" user; APP_UID is its numeric id.
USER $APP_UID
ENTRYPOINT ["dotnet", "Glassbox.SimulatedUpstream.dll"]
CMD ["--urls", "http://+:9100"]

# ---- gateway: the final (default) stage -----------------------------------------------------
FROM ${DOTNET_IMAGE_REGISTRY}/dotnet/runtime-deps:${DOTNET_VERSION} AS gateway
WORKDIR /app
# The executable alone: its debugging symbols (Glassbox.Gateway.dbg) stay in the build stage.
COPY --from=build /out/gateway/Glassbox.Gateway ./
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
# No HEALTHCHECK: the image has no curl/wget; orchestrators probe GET /healthz instead.
USER $APP_UID
ENTRYPOINT ["/app/Glassbox.Gateway"]
