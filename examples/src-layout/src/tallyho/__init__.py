"""Count things."""
