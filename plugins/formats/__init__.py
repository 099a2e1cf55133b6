"""Output formats (HTML page, PDF, Word), each a plugin registered through ``lscb_register_output_formats``."""
