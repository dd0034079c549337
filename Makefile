# hwnas: hardware-aware latency profiling for neural architecture search.
#   make run    the whole pipeline on this machine (describe, profile, tables, search, compare) into run/
#   make test   build and run the test suites
#   make bench  measurements that make timing claims, written to bench/results/
#               (PARTS="ort blocks" runs only those parts of scripts/bench)
#   make setup  what the others need: Debian packages, and .venv/ (the peers the bench compares
#               with: pinned ONNX Runtime, onnx, pymoo, scikit-learn from PyPI; make test needs none of it)
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

# Kernels are compiled for the CPU they run on; Package.swift reads this name.
HWNAS_TARGET_CPU ?= $(shell scripts/target-cpu)
export HWNAS_TARGET_CPU

SWIFT ?= swift
BIN := .build/release/hwnas
RUN_DIR := run

.PHONY: all setup build bench-build test run bench clean

all: build

setup:
	@scripts/setup

build: setup
	@echo "building hwnas for $(HWNAS_TARGET_CPU) (release)"
	$(SWIFT) build -c release --product hwnas

bench-build: setup
	$(SWIFT) build -c release --product block-bench
	$(SWIFT) build -c release --product kernel-bench

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test

run: setup
	@t0=$$(date +%s); echo "building hwnas for $(HWNAS_TARGET_CPU) (release)"; \
	$(SWIFT) build -c release --product hwnas && \
	echo "build time: $$(( $$(date +%s) - t0 )) s" && \
	HWNAS=$(BIN) scripts/run-pipeline

bench: build bench-build
	scripts/bench $(PARTS)

clean:
	rm -rf .build $(RUN_DIR)
