"""The `check` stage: one module per family of rules, each a pure function of the repository."""
