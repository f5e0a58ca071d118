"""Mutations: timers, time entries, approvals and policies, with typed user errors."""
