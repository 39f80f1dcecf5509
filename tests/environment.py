"""Environment for the test run, loaded as a pytest plugin (`-p tests.environment`).

It must run before pytest-django imports the settings, which is earlier than any
conftest.py: the settings refuse to start with DEBUG off and no SECRET_KEY.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ["DEBUG"] = "false"
# The test server speaks plain HTTP on loopback; the HTTPS settings are tested on their
# own (tests/test_production.py). Static files are not collected for the tests.
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")
# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from
# the same thread (to set up data) are safe in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
