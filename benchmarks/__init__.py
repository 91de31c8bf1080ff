"""Scale benchmarks: a seeded synthetic corpus (generator) and `make bench` (run)."""
