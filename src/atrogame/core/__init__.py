"""Core layer shared by every atrogame model: parameters, errors, results, symbolic tools."""
