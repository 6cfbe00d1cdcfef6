"""The log engine: a feed reads its topics' partitions from its own checkpoints, one worker at a
time leads it, and what cannot be applied is parked. Projections and deciders are both feeds."""
