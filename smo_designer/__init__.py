"""SMO Designer: a process-design workbench for Service Management Offices."""

__version__ = "0.1.0"
