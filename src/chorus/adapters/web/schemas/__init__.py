"""Request and response bodies of the API (msgspec Structs), one module per area."""
