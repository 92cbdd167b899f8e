"""Forms, one module per area. They check what was typed; the rules live in the services."""
