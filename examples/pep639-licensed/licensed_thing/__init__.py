"""Ships a font under its own license."""

FONT = "acme-sans"
