# The two commands the README starts with, plus the build target SAM calls (issue 6).
.PHONY: run test

# Runs the project's main job on this machine.
run:
	bash infra/run-local.sh

# Runs every test: unit, integration (real emulators and MCP peers on 127.0.0.1) and template checks.
test:
	bash infra/test.sh
