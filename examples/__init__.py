"""Programs that use Castline as its clients do: over HTTP, the chat WebSocket, the topics and
ClickHouse. Each is run by the test suite against the test platform."""
