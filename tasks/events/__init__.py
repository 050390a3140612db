"""The API event log: its last events, login logs, event names."""
