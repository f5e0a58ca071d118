"""Tests: mutations."""
