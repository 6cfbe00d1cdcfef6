"""The ground floor: settings every layer reads, and the secrets the processes share."""
