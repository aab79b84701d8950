"""kiptui's Textual UI: the app, one module per screen, shared widgets and modals."""
