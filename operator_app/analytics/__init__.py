"""See shared design: this layer is filled in by later issues."""
