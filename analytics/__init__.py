"""Analytics: every event family in ClickHouse."""
