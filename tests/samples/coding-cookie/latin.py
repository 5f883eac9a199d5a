# -*- coding: latin-1 -*-
"""Café, crème brûlée and naïve façades."""

__version__ = "1.0"
MENU = "Crêpe"
