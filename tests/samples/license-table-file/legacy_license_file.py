"""Legacy license table."""
