"""Verification of the audit trail: signatures, who may sign what, seals and repository integrity."""
