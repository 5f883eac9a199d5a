"""Stray bytecode."""
