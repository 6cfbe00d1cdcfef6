"""The worker: the hosting of the deciders (processors/deciders/), the projectors and the scheduler."""
