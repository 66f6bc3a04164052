"""Performance benchmark for the kiosk: start-up, interaction latency, idle reset, memory.

Run with `python -m bench` (see bench/README.md). It reports against the targets in DESIGN.md and is never
part of pass/fail: timings depend on the machine.
"""
