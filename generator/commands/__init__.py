"""The `panel` subcommands, one module per group of related commands."""
