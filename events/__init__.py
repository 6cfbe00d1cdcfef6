"""Event types, the Avro codec, the schema registry, the topic catalog and the producer."""
