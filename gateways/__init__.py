"""HTTP gateways: authenticate, validate, turn requests into commands, read projections."""
