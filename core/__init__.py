"""Process-wide plumbing: settings, Redis, the embedded Redis launcher, tenants, telemetry."""
