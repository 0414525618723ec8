"""Exports for the awarding body: a unit's portfolio as PDF, and a centre's bulk export."""
