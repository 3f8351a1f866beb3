"""Consultation models (questionnaires, responses, answers)."""
