"""The application layer: main window, document controller, settings and dialogs (Qt)."""
