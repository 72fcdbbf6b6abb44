#!/usr/bin/env bash
# Builds the Lambda artifact into ARTIFACTS_DIR: what `make build-GatewayFunction` (and so `sam build`) runs.
# usage: infra/lambda/build.sh ARTIFACTS_DIR
#   LAMBDA_ARCH  arm64 (the template's default; cross-compiled on x86_64) or x86_64
#   LAMBDA_BUILD aot (default: Native AOT, one self-contained native binary) or r2r (ReadyToRun for the
#                dotnet10 runtime's .NET, for machines without the native toolchain; see docs/deploy-aws.md)
set -euo pipefail
cd "$(dirname "$0")/../.."

out="${1:?usage: build.sh ARTIFACTS_DIR}"
arch="${LAMBDA_ARCH:-arm64}"
build="${LAMBDA_BUILD:-aot}"
case "$arch" in
  arm64) rid=linux-arm64 ;;
  x86_64) rid=linux-x64 ;;
  *) echo "LAMBDA_ARCH must be arm64 or x86_64, not \"$arch\"" >&2; exit 2 ;;
esac

common=(src/McpGateway.Host/McpGateway.Host.csproj -c Release -r "$rid" --nologo -p:GenerateDocumentationFile=false)
case "$build" in
  aot)
    bash infra/lambda/prerequisites.sh "$arch"
    # Symbols are stripped into a .dbg file beside the binary; the artifact leaves it out (kept in obj/ for
    # anyone who needs to read a native stack). Warnings are errors (Directory.Build.props), trimming and
    # AOT analysis warnings included, so a build that could behave differently from the JIT one fails here.
    dotnet publish "${common[@]}" -p:PublishAot=true -p:StripSymbols=true -o "$out"
    rm -f "$out"/*.dbg "$out"/*.pdb
    launcher='exec "$(dirname "$0")/McpGateway.Host"'
    ;;
  r2r)
    dotnet publish "${common[@]}" --self-contained false -p:PublishReadyToRun=true -p:UseAppHost=false -o "$out"
    rm -f "$out"/*.pdb
    launcher='exec dotnet "$(dirname "$0")/McpGateway.Host.dll"'
    ;;
  *) echo "LAMBDA_BUILD must be aot or r2r, not \"$build\"" >&2; exit 2 ;;
esac

# The handler script with LF endings whatever the checkout did, its last line the launcher for this build.
tr -d '\r' < infra/lambda/run.sh | sed "s|^exec .*|$launcher|" > "$out/run.sh"
chmod 755 "$out/run.sh"
