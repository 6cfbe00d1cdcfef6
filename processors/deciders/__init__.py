"""The deciders: pure functions from a state and a command to events or a rejection, and from a
state and an event to the next state. They import no driver, broker client or framework; the
modules around them (processors/) host them."""
