"""Every state change, and the audit event that records it: one module per domain."""
