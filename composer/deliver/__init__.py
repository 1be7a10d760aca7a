"""Delivering rendered editions: message building, transports (Maildir outbox, SMTP), the ledger."""
