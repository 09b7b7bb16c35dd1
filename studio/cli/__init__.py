"""The ``reluviz`` command line: a client of the Python API and the studio."""
