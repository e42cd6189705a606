"""The director's administration: users and roles, the outbox, the audit trail."""
