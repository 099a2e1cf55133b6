"""The shared section plugins: one module per section family, registered as built-ins (fallbacks)."""
