"""Prefect flows: orchestration of the ``translate`` library, no NLP logic here."""
