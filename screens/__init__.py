"""kiptui's Textual UI: the app, one module per screen, shared widgets and modals."""

from screens.strips import install as _install_strip_caches
from screens.terminal import install as _install_output_thread

_install_strip_caches()  # Textual's screen lines make their caches when used (screens/strips.py)
_install_output_thread()  # Textual's output thread outlives a closed terminal (screens/terminal.py)
