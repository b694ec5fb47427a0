"""Labinov: LAN RI's Laboratorium Inovasi for Indonesian regional governments."""

__version__ = "0.1.0"
