"""`make loadtest`: a Locust load test against `make serve` (see README)."""
