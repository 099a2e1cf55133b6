"""The shared accessible palette (Analysis Function categorical colours), one source for CSS, SCSS and
charts. The shared stylesheet (``quarto/_extensions/lscb/lscb.css``, its ``:root`` block) and the Quarto theme
(``lscb.scss``) carry the same values; tests/test_quarto_project.py keeps them in step."""

CATEGORICAL = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
TEXT = "#0B0C0C"
MUTED = "#505A5F"
LINK = "#1D70B8"
BACKGROUND = "#FFFFFF"
RULE = "#B1B4B6"
FOCUS = "#FFDD00"

CSS_VARIABLES = {
    "--lscb-text": TEXT, "--lscb-muted": MUTED, "--lscb-link": LINK, "--lscb-bg": BACKGROUND,
    "--lscb-rule": RULE, "--lscb-focus": FOCUS, "--lscb-accent": CATEGORICAL[0],
    **{f"--lscb-cat-{i + 1}": c for i, c in enumerate(CATEGORICAL)},
}
