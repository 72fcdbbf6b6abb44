#!/bin/bash
# Lambda handler script. The Lambda Web Adapter layer (AWS_LAMBDA_EXEC_WRAPPER=/opt/bootstrap) runs it,
# then polls AWS_LWA_READINESS_CHECK_PATH on AWS_LWA_PORT and relays API Gateway events to Kestrel,
# which ASPNETCORE_URLS binds to loopback. Configuration comes from the environment the template sets.
# infra/lambda/build.sh writes the last line for the build: the Native AOT binary itself, or
# `exec dotnet .../McpGateway.Host.dll` for LAMBDA_BUILD=r2r.
set -euo pipefail
exec "$(dirname "$0")/McpGateway.Host"
