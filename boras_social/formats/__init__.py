"""The project's date formats (FORMAT_MODULE_PATH in settings.py); see sv/formats.py."""
