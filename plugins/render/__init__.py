"""Renderers: the built-in one (plugins.render.builtin) and Quarto (plugins.render.quarto), each registered
through ``lscb_register_renderers``."""
