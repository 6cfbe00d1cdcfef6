"""The worker: hosting for the deciders (processors/deciders/), the projectors, the scheduler."""
