"""Legacy license text."""
