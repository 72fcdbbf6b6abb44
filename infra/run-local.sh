#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run --project src/McpGateway.Cli -- policy check infra/policies/ecr-builds.json --tool build_and_push_image_to_ecr
