"""Worlds of objects that tests in more than one file are built on, one module per world.

A module's fixtures are registered for every test in tests/conftest.py (`pytest_plugins`); its
builders are imported where they are called. A world only one test file needs stays in that
file, and one a folder's files share is in that folder's conftest.py.
"""
