# The two commands the README starts with, plus the build target SAM calls (issue 6).
.PHONY: run test

# Runs the project's main job on this machine. Silent (@) so standard output is the decision log alone.
run:
	@bash infra/run-local.sh

# Runs every test: unit, integration (real emulators and MCP peers on 127.0.0.1) and template checks.
test:
	bash infra/test.sh

# `sam build` (Metadata BuildMethod: makefile) calls this with ARTIFACTS_DIR set. Framework-dependent
# (the dotnet10 runtime provides .NET), ReadyToRun for a faster cold start, for the Lambda architecture
# in LAMBDA_ARCH (arm64, the template's default, or x86_64), plus the handler script with LF endings.
LAMBDA_ARCH ?= arm64
LAMBDA_RID = $(if $(filter x86_64,$(LAMBDA_ARCH)),linux-x64,linux-arm64)

.PHONY: build-GatewayFunction
build-GatewayFunction:
	dotnet publish src/McpGateway.Host/McpGateway.Host.csproj -c Release -r $(LAMBDA_RID) --self-contained false \
		-p:PublishReadyToRun=true -p:UseAppHost=false -p:GenerateDocumentationFile=false --nologo -o "$(ARTIFACTS_DIR)"
	tr -d '\r' < infra/lambda/run.sh > "$(ARTIFACTS_DIR)/run.sh"
	chmod 755 "$(ARTIFACTS_DIR)/run.sh"
