"""kiptui's Textual UI: the app, one module per screen, shared widgets and modals."""

from screens.strips import install as _install_strip_caches

_install_strip_caches()  # Textual's screen lines make their caches when used (screens/strips.py)
