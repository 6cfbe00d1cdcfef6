"""Store clients: one module per store, used alike by the local launchers and by the readers and
writers of every layer above."""
