"""The Faust worker: deciders (agents around pure decide/evolve) and projectors."""
