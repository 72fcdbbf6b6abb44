# The two commands the README starts with, plus the build target SAM calls (issue 6).
.PHONY: run test

# Runs the project's main job on this machine. Silent (@) so standard output is the decision log alone.
run:
	@bash infra/run-local.sh

# Runs every test: unit, integration (real emulators and MCP peers on 127.0.0.1) and template checks.
test:
	bash infra/test.sh

# `sam build` (Metadata BuildMethod: makefile) calls this with ARTIFACTS_DIR set. Native AOT for the Lambda
# architecture in LAMBDA_ARCH (arm64, the template's default, cross-compiled on x86_64; or x86_64), plus the
# handler script; LAMBDA_BUILD=r2r builds ReadyToRun for the dotnet10 runtime instead (no native toolchain).
# infra/lambda/build.sh checks, or as root installs, what the native build needs.
LAMBDA_ARCH ?= arm64
LAMBDA_BUILD ?= aot

.PHONY: build-GatewayFunction
build-GatewayFunction:
	LAMBDA_ARCH=$(LAMBDA_ARCH) LAMBDA_BUILD=$(LAMBDA_BUILD) bash infra/lambda/build.sh "$(ARTIFACTS_DIR)"
