"""Tests: simulators."""
