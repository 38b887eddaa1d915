"""Safe Places: find the nearest Safe Place, in easy read."""
