"""Assignations: who works on a task (routes, writes)."""
